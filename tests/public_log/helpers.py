"""Records published through the real review flow (submit → approve), so the index job runs."""
from datetime import date

from core.db import unit_of_work
from core.departments.models import Department
from core.extensions import db
from public_log import review
from public_log.models import PublicRecord
from tests.conftest import at, make_user

_source = [1000]


def reviewer():
    from core.auth.models import User
    return User.query.filter_by(email="rev@x.cn").first() or make_user("supervisor", "rev@x.cn")


def queue(title, request_text="", reply_text="", *, dept="mzj", kind="hotline", type_code="inquiry",
          category="020201", replied_on=date(2026, 11, 2), now=None, names=(), phones=(), ids=(), author=None):
    """A reply entering the review queue (pending)."""
    _source[0] += 1
    now = now or at(replied_on.year, replied_on.month, replied_on.day, 10)
    with unit_of_work():
        return review.submit(kind=kind, source_id=_source[0],
                             department_id=Department.query.filter_by(code=dept).one().id, type_code=type_code,
                             category_code=category, replied_on=replied_on, author_id=author.id if author else None,
                             title=title, request_text=request_text, reply_text=reply_text, names=names,
                             phones=phones, ids=ids, now=now)


def publish(title, request_text="", reply_text="", *, replied_on=date(2026, 11, 2), now=None, **kw):
    """A reply queued and approved by a supervisor (the index job runs after the commit)."""
    now = now or at(replied_on.year, replied_on.month, replied_on.day, 10)
    record = queue(title, request_text, reply_text, replied_on=replied_on, now=now, **kw)
    review.approve_publication(record, now=now, actor=reviewer(), confirmed=True)
    return db.session.get(PublicRecord, record.id)
