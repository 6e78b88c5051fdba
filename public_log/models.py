"""Public records: a reply that may be published, its masked text, and the reviewer's decision."""
from core.db import UTCDateTime
from core.extensions import db


class PublicRecord(db.Model):
    __tablename__ = "public_records"

    id = db.Column(db.Integer, primary_key=True)
    public_id = db.Column(db.String(24), unique=True, nullable=False)  # stable permalink id, e.g. GK-2026-000123
    kind = db.Column(db.String(12), nullable=False)  # disclosure | hotline
    source_id = db.Column(db.Integer, nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    type_code = db.Column(db.String(40), nullable=True)  # outcome code or ticket type
    category_code = db.Column(db.String(6), nullable=True)
    replied_on = db.Column(db.Date, nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)  # never the reviewer

    original_title = db.Column(db.Text, nullable=False)
    original_request = db.Column(db.Text, nullable=False)
    original_reply = db.Column(db.Text, nullable=False)
    title = db.Column(db.Text, nullable=False)  # the public (masked, maybe edited) versions
    request_text = db.Column(db.Text, nullable=False)
    reply_text = db.Column(db.Text, nullable=False)
    maskings = db.Column(db.JSON, nullable=False, default=list)
    # Where, as the public may see it (hotline): road or estate only, masked; coordinates on a grid.
    place = db.Column(db.String(200), nullable=True)
    lat = db.Column(db.Float, nullable=True)
    lng = db.Column(db.Float, nullable=True)

    status = db.Column(db.String(12), nullable=False, default="pending", index=True)
    reviewer_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    reviewed_at = db.Column(UTCDateTime(), nullable=True)
    published_at = db.Column(UTCDateTime(), nullable=True, index=True)
    refusal_reason = db.Column(db.Text, nullable=True)
    withdrawn_reason = db.Column(db.Text, nullable=True)
    corrected_at = db.Column(UTCDateTime(), nullable=True)
    correction_note = db.Column(db.Text, nullable=True)  # shown publicly: what was corrected
    changed_at = db.Column(UTCDateTime(), nullable=True)  # last change of public text or status (re-index)
    # The item's own people (names, phones, IDs), kept only to mask a reviewer's edits; never shown.
    known = db.Column(db.JSON, nullable=False, default=dict)
    created_at = db.Column(UTCDateTime(), nullable=False)

    department = db.relationship("Department", lazy="joined")

    __table_args__ = (
        db.UniqueConstraint("kind", "source_id", name="uq_public_records_source"),
        db.CheckConstraint("status IN ('pending', 'published', 'refused', 'withdrawn')", name="status"),
    )


class PublicSearchDoc(db.Model):
    """What the search index holds for one published record: segmented masked text, never the original.

    The backends add their own structures on top (public_log.search): an FTS5 table kept in step by
    triggers on SQLite, a generated tsvector column with a GIN index on PostgreSQL.
    """
    __tablename__ = "public_search_docs"

    record_id = db.Column(db.Integer, db.ForeignKey("public_records.id", ondelete="CASCADE"), primary_key=True)
    title_tokens = db.Column(db.Text, nullable=False)
    request_tokens = db.Column(db.Text, nullable=False)
    reply_tokens = db.Column(db.Text, nullable=False)
    body = db.Column(db.Text, nullable=False)  # normalised masked text, for exact phrases
    # The filter columns below as index lexemes (public_log.search.filter_tokens), so that the index
    # itself narrows a filtered search; never matched by a user's words.
    filter_tokens = db.Column(db.Text, nullable=False, default="", server_default="")
    # Copies of the record's filter and ordering columns, so a search reads this table only.
    kind = db.Column(db.String(12), nullable=False)
    department_id = db.Column(db.Integer, nullable=True)
    type_code = db.Column(db.String(40), nullable=True)
    category_code = db.Column(db.String(6), nullable=True)
    replied_on = db.Column(db.Date, nullable=False)
    published_at = db.Column(UTCDateTime(), nullable=False)
    indexed_at = db.Column(UTCDateTime(), nullable=False)

    # the newest id of a date range, day by day (PostgreSQL search, public_log.search.newest_in_dates);
    # on PostgreSQL the table is partitioned by ranges of record ids (public_log.search.PARTITION), so that a
    # search reads the newest partitions' own small indexes first.
    __table_args__ = (db.Index("ix_public_search_docs_replied_on", "replied_on", "record_id"),
                      {"postgresql_partition_by": "RANGE (record_id)"})
