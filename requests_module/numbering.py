"""Document numbers of reply letters (亭湖依申复〔2026〕N号): assigned only when the letter is issued, sequential
per year, without gaps or duplicates even when several replies are issued at the same moment.

The counter row of the year is incremented by one UPDATE inside the issuing unit of work: the row lock
makes parallel issuers wait for each other (PostgreSQL) or the database lock serialises them (SQLite), and
a rolled-back reply gives its number back with the rest of its transaction, so no number is skipped.
"""
from sqlalchemy import insert, update

from core.extensions import db
from requests_module.models import LetterNumberCounter

REPLY_SERIES = "disclosure_reply"


def _insert_missing(series, year):
    dialect = db.session.get_bind().dialect.name
    values = {"series": series, "year": year, "last": 0}
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        stmt = pg_insert(LetterNumberCounter).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert
        stmt = sqlite_insert(LetterNumberCounter).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        stmt = insert(LetterNumberCounter).values(**values)
    db.session.execute(stmt)


def next_number(year, series=REPLY_SERIES):
    """The next number of the series in `year` (1, 2, 3 …), taken inside the caller's transaction."""
    _insert_missing(series, year)
    stmt = (update(LetterNumberCounter)
            .where(LetterNumberCounter.series == series, LetterNumberCounter.year == year)
            .values(last=LetterNumberCounter.last + 1)
            .returning(LetterNumberCounter.last)
            .execution_options(synchronize_session=False))
    return db.session.execute(stmt).scalar_one()


def reply_doc_number(year):
    """亭湖依申复〔year〕N号 with the next number of the year."""
    return f"亭湖依申复〔{year}〕{next_number(year)}号"
