"""Keeping the search index in step with publication: a job per record after each commit, a catch-up
after every deadline sweep (for jobs lost while Redis was down), and a full rebuild for the CLI."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from core.db import unit_of_work, utcnow
from core.extensions import db
from core.jobs import enqueue, job
from public_log import search
from public_log.models import PublicRecord, PublicSearchDoc

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime


@job
def index_job(record_id: int, now: datetime | None = None) -> bool:
    """Index (or un-index) one record as it is now."""
    search.ensure_partitions([record_id])
    with unit_of_work():
        record = db.session.get(PublicRecord, record_id)
        if record is None:
            return False
        return search.index_record(record, now=now or utcnow())


def schedule(record: PublicRecord) -> None:
    """Index the record once the caller's unit of work commits."""
    enqueue(index_job, record.id)


def search_catch_up(now: datetime, batch: int = 500) -> int:
    """Index what a lost job left out; drop withdrawn records. Returns how many rows changed. A periodic job:
    the caller has no work of its own pending (the read of what is missing is ended before the partitions
    it needs are made)."""
    changed, missing = 0, search.unindexed_ids(limit=batch)
    search.ensure_partitions(missing)
    db.session.rollback()  # what was read above holds no lock while the unit of work runs
    with unit_of_work():
        for record_id in search.stale_doc_ids():
            db.session.delete(db.session.get(PublicSearchDoc, record_id))
            changed += 1
        for record_id in missing:
            search.index_record(db.session.get(PublicRecord, record_id), now=now)
            changed += 1
    return changed


def rebuild(now: datetime, batch: int = 1000, progress: Callable[[int], object] | None = None) -> int:
    """Empty the index and index every published record again, in batches. Returns the count."""
    with unit_of_work():
        db.session.execute(sa.delete(PublicSearchDoc))
    done, last = 0, 0
    while True:
        ids = list(db.session.scalars(sa.select(PublicRecord.id).where(
            PublicRecord.status == "published", PublicRecord.id > last).order_by(PublicRecord.id).limit(batch)))
        if not ids:
            return done
        db.session.rollback()  # the ids' read holds no lock while the partitions are made
        search.ensure_partitions(ids)
        with unit_of_work():
            for record in PublicRecord.query.filter(PublicRecord.id.in_(ids)):
                db.session.add(PublicSearchDoc(record_id=record.id, indexed_at=now, **search.document_for(record)))
        done, last = done + len(ids), ids[-1]
        if progress:
            progress(done)
        db.session.expunge_all()
