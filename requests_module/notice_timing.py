"""Notices that must reach the applicant in time (issue 15, lawyer finding 3): the one place that decides
whether a notice tied to a statutory period was delivered within it, and what follows.

- 延期告知书 (《政府信息公开条例》Art. 33 para. 2: "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并
  告知申请人"): an extension is both approved and told. Told means the notice reached the applicant (送达) on
  or before the original due date; otherwise the extension did not take effect and the answer is judged
  against the original due date. This happens when the delivery is recorded with a later date
  (documents.record_delivery), or when the application closes (closing.close) after the original due date
  with the notice still undelivered. The answer clock then gives the extension back
  (core.clocks.service.withdraw_extension): a verdict taken against the longer period is taken again, and
  can only become late — never on time. A void extension still counts as the one extension Art. 33 allows.
- 补正告知书 (Art. 30: "自收到申请之日起7个工作日内一次性告知申请人作出补正"): delivered after the 7th working
  day from receipt, it is flagged as late. Our reading of the text for the answer period: Art. 30 ties the
  new period to the correction itself — "答复期限自行政机关收到补正的申请之日起计算" — with no condition on when
  the notice was given, and Art. 33 para. 1 counts from receipt of the (complete) application. The late
  notice is a procedural defect the organ answers for (程序违法, flagged on the page, in the API and in the
  audit), but the law does not make the applicant's corrected application count as received earlier: the
  pause and the restart on correction stand. (The organ cannot gain from it otherwise either: the notice
  itself may only be issued within the 7 working days, handling.send_correction_notice.)
- An issued but undelivered 补正告知书 or 收费通知书 pauses the answer period from its issue date; once the
  date by which it had to reach the applicant has passed, the staff decision list shows it
  (lapses.lapse_of): for the 补正告知书 the 7th working day from receipt (Art. 30); for the 收费通知书, which no
  article dates, the answer due date it paused (Art. 33: the applicant has to be told within the answer
  period, 国办函〔2020〕109号 counts the payment period from receipt of the notice).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.calendar.service import get_calendar, get_schedule
from core.clocks.compute import compute_deadlines
from core.formats import zh_date
from requests_module.common import clock
from requests_module.periods import CORRECTION_NOTICE_WORKDAYS

if TYPE_CHECKING:
    from core.clocks.models import Clock
    from requests_module.models import DisclosureRequest, RequestDocument

EXTENSION_VOID_TEXT = "延期告知书未在原答复期限内送达，延期不生效"
CORRECTION_LATE_TEXT = f"补正告知书未在收到申请之日起{CORRECTION_NOTICE_WORKDAYS}个工作日内送达（条例第三十条）"


@dataclass(frozen=True)
class ExtensionEffect:
    """Whether the approved extension took effect (Art. 33 para. 2)."""
    state: str  # effective | pending | void | not_needed
    original_due_on: date
    text: str

    def as_json(self) -> dict[str, str]:
        return {"state": self.state, "original_due_on": self.original_due_on.isoformat(), "text": self.text}


def _latest(req: DisclosureRequest, kind: str) -> RequestDocument | None:
    docs = [d for d in req.documents if d.kind == kind]
    return docs[-1] if docs else None


def original_due_on(answer: Clock) -> date:
    """The answer clock's due date without its extension (pauses for consultation still count, Art. 33 para. 3)."""
    return compute_deadlines(unit=answer.unit, length=answer.length, started_at=answer.started_at,
                             start_on=answer.start_on, pauses=answer.pauses, extension=0, cal=get_calendar(),
                             schedule=get_schedule()).due_on


def extension_effect(req: DisclosureRequest, today: date | None = None) -> ExtensionEffect | None:
    """The effect of the application's extension, or None without one (Art. 33 para. 2). The notice must reach
    the applicant on or before the original due date; `today` only words an open, undelivered case."""
    doc = _latest(req, "extension_notice")
    answer = clock(req)
    if doc is None or answer is None or answer.unit != "workdays":
        return None
    original = original_due_on(answer)
    if doc.delivered_on is not None:
        if doc.delivered_on <= original:
            return ExtensionEffect("effective", original, f"延期告知书已于{zh_date(doc.delivered_on)}送达申请人，延期生效")
        return ExtensionEffect("void", original, f"{EXTENSION_VOID_TEXT}（{zh_date(doc.delivered_on)}送达，"
                               f"原答复期限至{zh_date(original)}），按原答复期限判断是否按期答复（条例第三十三条第二款）")
    if req.closed_at is not None and req.replied_on is not None:
        if req.replied_on > original:
            return ExtensionEffect("void", original, f"{EXTENSION_VOID_TEXT}（至答复时未送达，原答复期限至"
                                   f"{zh_date(original)}），按原答复期限判断是否按期答复（条例第三十三条第二款）")
        return ExtensionEffect("not_needed", original, f"延期告知书未送达，已在原答复期限（{zh_date(original)}）内答复")
    if today is not None and today > original:
        return ExtensionEffect("pending", original, f"延期告知书尚未登记送达，原答复期限已于{zh_date(original)}届满："
                               "如未在该日前送达申请人，延期不生效（条例第三十三条第二款）")
    return ExtensionEffect("pending", original, f"延期告知书尚未登记送达：须在原答复期限（{zh_date(original)}）届满前"
                           "送达申请人，否则延期不生效（条例第三十三条第二款）")


def void_late_extension(req: DisclosureRequest, *, now: datetime, actor: Any) -> ExtensionEffect | None:
    """Give the extension back on the answer clock when it did not take effect (extension_effect is void):
    called when a delivery is recorded and when the application closes (joins the caller's unit of work)."""
    from core.clocks.service import withdraw_extension
    from requests_module.common import keep_answer_verdict, log_event

    effect = extension_effect(req)
    answer = clock(req)
    if effect is None or effect.state != "void" or not answer.extension:
        return None
    withdraw_extension(answer, answer.extension, now=now, actor=actor, reason="extension notice not delivered in time")
    keep_answer_verdict(req)  # a stopped clock's verdict was taken again
    doc = _latest(req, "extension_notice")
    log_event(req, "extension_void", now=now, actor=actor,
           detail={"number": doc.number, "delivered_on": doc.delivered_on.isoformat() if doc.delivered_on else None,
                   "original_due_on": effect.original_due_on.isoformat(), "reason": effect.text})
    return effect


def correction_notice_due_on(req: DisclosureRequest) -> date:
    """Art. 30: the 补正告知书 must reach the applicant by the 7th working day from receipt."""
    return get_calendar().add_workdays(req.received_on, CORRECTION_NOTICE_WORKDAYS)


def delivery_due_on(req: DisclosureRequest, doc: RequestDocument) -> date | None:
    """The day a pausing notice had to reach the applicant (see the module docstring), or None."""
    if doc.kind == "correction_notice" and req.received_on is not None:
        return correction_notice_due_on(req)
    if doc.kind == "fee_notice":
        answer = clock(req)
        return answer.due_on if answer is not None else None
    return None


DELIVERY_BASIS = {"correction_notice": f"条例第三十条：收到申请之日起{CORRECTION_NOTICE_WORKDAYS}个工作日内",
                  "fee_notice": "条例第三十三条：原答复期限内"}


def correction_notice_late(req: DisclosureRequest, doc: RequestDocument) -> bool:
    """A 补正告知书 delivered after the 7th working day from receipt (Art. 30)."""
    return (doc.kind == "correction_notice" and doc.delivered_on is not None and req.received_on is not None
            and doc.delivered_on > correction_notice_due_on(req))


def flag(req: DisclosureRequest, doc: RequestDocument, today: date | None = None) -> str | None:
    """What the handling page and the API say about a notice's timing, or None."""
    if doc.kind == "extension_notice" and doc is _latest(req, "extension_notice"):
        effect = extension_effect(req, today)
        return effect.text if effect is not None and effect.state in ("void", "pending") else None
    if correction_notice_late(req, doc):
        return f"{CORRECTION_LATE_TEXT}：{zh_date(doc.delivered_on)}送达，应于{zh_date(correction_notice_due_on(req))}前送达；" \
               "答复期限仍自收到补正之日起重新计算"
    return None
