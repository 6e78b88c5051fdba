"""Document numbers (发文字号) of the letters and notices an organ issues: each issuing organ numbers its own.

GB/T 9704-2012《党政机关公文格式》7.2.4: 发文字号由发文机关代字、年份、发文顺序号组成 — so each organ (the
receiving department, or the district government: remedy.issuing_organ / issuing_department) has its own
代字 (Department.issuing_code, admin-editable; 亭政 for the district government) and its own counter per kind
and year: 亭民政依申复〔2026〕1号 and 亭政依申复〔2026〕1号 are the first replies of 民政局 and of the government.
Numbers issued before per-organ numbering (亭湖依申复〔2026〕N号, one series for all organs) are never changed.

A number is assigned only when the document is issued, without gaps or duplicates even when several are
issued at the same moment: the counter row of (series, year) is incremented by one UPDATE inside the issuing
unit of work; the row lock makes parallel issuers wait for each other (PostgreSQL) or the database lock
serialises them (SQLite), and a rolled-back issue gives its number back with the rest of its transaction.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, update

from core.extensions import db
from core.formats import zh_date
from requests_module.models import LetterNumberCounter

if TYPE_CHECKING:
    from core.departments.models import Department
    from requests_module.models import DisclosureRequest

REPLY_SERIES = "disclosure_reply"
GOVERNMENT_KEY = "gov"  # the counter key of the district government (no receiving department)


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


def next_number(year: int, series: str = REPLY_SERIES) -> int:
    """The next number of the series in `year` (1, 2, 3 …), taken inside the caller's transaction."""
    _insert_missing(series, year)
    stmt = (update(LetterNumberCounter)
            .where(LetterNumberCounter.series == series, LetterNumberCounter.year == year)
            .values(last=LetterNumberCounter.last + 1)
            .returning(LetterNumberCounter.last)
            .execution_options(synchronize_session=False))
    return db.session.execute(stmt).scalar_one()


def issuer(receiving_department: Department | None) -> tuple[str, str]:
    """(counter key, 代字) of the organ that issues for an application received by `receiving_department`:
    that department, or (None) the district government, whose 代字 is kept on 区政府办 (remedy.DISTRICT_OFFICE)
    that issues in its name (GB/T 9704-2012 7.2.4; 条例 Art. 27, 36)."""
    from core.departments.models import DISTRICT_DOC_CODE
    from core.departments.service import get_by_code
    from requests_module.remedy import DISTRICT_OFFICE

    if receiving_department is not None:
        return f"d{receiving_department.id}", receiving_department.issuing_code
    office = get_by_code(DISTRICT_OFFICE, active_only=False)
    return GOVERNMENT_KEY, office.issuing_code if office is not None else DISTRICT_DOC_CODE


def organ_number(receiving_department: Department | None, series: str, word: str, year: int) -> str:
    """{代字}{word}〔year〕N号 with the next number of the issuing organ's own `series` in `year`."""
    key, code = issuer(receiving_department)
    return f"{code}{word}〔{year}〕{next_number(year, series=f'{series}/{key}')}号"


def reply_doc_number(req: DisclosureRequest, year: int) -> str:
    """亭民政依申复〔year〕N号: the issuing organ's next reply number of the year."""
    return organ_number(req.receiving_department, REPLY_SERIES, "依申复", year)


def paper_number(on: date, issued_on: date, number: str | None) -> str | None:
    """No 倒签: the letter the system composes and numbers is dated the day it is issued (entered) — its 成文日期
    and its number come from the same day (GB/T 9704-2012 7.2.4, 7.3.5.1). A reply dated earlier (inside the
    补录 window of core/action_time.py) is only the 补录 of a letter really issued on paper that day, and carries
    that letter's own number; the system then assigns none (closing.close) and its copy is marked 补录
    (letter.py). Returns the cleaned paper number, or None for a letter the system numbers."""
    from core.errors import ValidationError

    if number is not None and not isinstance(number, str):
        raise ValidationError("原件文号应为文字", field="paper_number")
    text = "".join((number or "").split())
    if len(text) > 60:
        raise ValidationError("原件文号最多 60 字", field="paper_number")
    if on is not None and on < issued_on and not text:
        raise ValidationError(f"系统出具的答复书以录入当日（{zh_date(issued_on)}）为成文日期，不能倒签；补录此前已在纸面作出的"
                              "答复书时，请填写其原件文号", field="paper_number")
    return text or None


def check_paper(req: DisclosureRequest, on: date, issued_on: date, number: str | None, actor: Any) -> str | None:
    """The paper letter's number of a reply's 补录, or None for a letter the system numbers (paper_number), checked:
    only someone of the issuing organ records that organ's paper letter (who else could have issued it?), and
    the number is that organ's for that year — its 代字, 〔year〕, N号 (GB/T 9704-2012 7.2.4) — and no other
    reply's (check_paper_number_free)."""
    import re

    from core.errors import ValidationError
    from requests_module import access

    paper = paper_number(on, issued_on, number)
    if paper is None:
        return None
    if not access.of_issuing_organ(actor, req):
        raise ValidationError("只有本机关（出具答复书的机关）的工作人员才能补录其纸质答复书；请由该机关登记",
                              field="paper_number")
    _, code = issuer(req.receiving_department)
    if not re.fullmatch(rf"{re.escape(code)}\S*〔{on.year}〕[0-9]+号", paper):
        raise ValidationError(f"原件文号应为本机关{on.year}年的文号，如“{code}依申复〔{on.year}〕12号”",
                              field="paper_number")
    check_paper_number_free(paper, req.id)
    return paper


def check_paper_number_free(number: str, request_id: int | None) -> None:
    """A paper letter's number is its own: no other reply bears it (GB/T 9704-2012 7.2.4)."""
    from core.errors import ValidationError
    from requests_module.models import DisclosureRequest

    if number and DisclosureRequest.query.filter(DisclosureRequest.reply_doc_number == number,
                                                 DisclosureRequest.id != request_id).first() is not None:
        raise ValidationError(f"文号“{number}”已用于另一份答复书，请核对原件文号", field="paper_number")
