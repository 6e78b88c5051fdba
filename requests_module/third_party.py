"""The third party's answer to a consultation and the order Art. 32 of the 条例 imposes on disclosure.

条例 Art. 32: "第三方应当自收到征求意见书之日起15个工作日内提出意见。第三方逾期未提出意见的，由行政机关依照本条例
的规定决定是否公开。第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大
影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。"

So an answer is recorded as one of three results (ANSWERS); disclosing over an objection needs the written
决定公开告知书 to that third party first — issued by the head of the issuing organ's disclosure work (it is the
organ's decision: access.may_sign_off) and delivered to it (书面告知 means it reached the third party);
withholding on the objection needs nothing more. Art. 15 closes the other way: "第三方同意公开……的，予以公开",
so when every third party consulted agreed, withholding on the third party's interest (withheld_third_party)
is refused; a silent third party leaves the decision to the organ (Art. 32), so then it may still withhold. The functions here
are pure (they read the loaded application); the services (handling.py, reply.py) and the handling page call
them, so the rule lives in one place.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from core.errors import ValidationError
from core.formats import zh_date
from core.workflow import TransitionError
from requests_module import outcomes
from requests_module.periods import CONSULTATION_WORKDAYS
from requests_module.states import Status

if TYPE_CHECKING:
    from requests_module.models import Consultation, DisclosureRequest, RequestDocument

# Art. 32 / Art. 34: agreed, objected (with the reasons given), or no answer within the 15 working days
ANSWERS = {"agreed": "同意公开", "objected": "不同意公开", "silent": "逾期未提出意见"}
DISCLOSING_GROUPS = ("予以公开", "部分公开")  # outcomes.py: the outcomes that disclose (all or part)


def check_answer(answer: str, opinion: str | None, *, deadline_on: date | None, today: date) -> tuple[str, str | None]:
    """The recorded result of a consultation (Art. 32, 34): one of ANSWERS, chosen explicitly (never assumed
    to be consent); an objection states the reasons given; 逾期未提出意见 only once the 15 working days from the
    recorded receipt (`deadline_on`, set on delivery) have run out. Returns (answer, opinion)."""
    if not isinstance(answer, str) or answer not in ANSWERS:
        raise ValidationError("请选择对方的意见：同意公开、不同意公开或逾期未提出意见（条例第三十二条）", field="answer")
    if opinion is not None and not isinstance(opinion, str):
        raise ValidationError("意见应为文字", field="opinion")
    opinion = (opinion or "").strip()
    if answer == "objected" and not opinion:
        raise ValidationError("不同意公开的，请写明对方提出的理由（条例第三十二条）", field="opinion")
    if answer == "silent":
        if deadline_on is None:
            raise TransitionError(f"征求意见书尚未登记送达：{CONSULTATION_WORKDAYS}个工作日自对方收到之日起算（第三十二条、第三十四条），"
                                  "期限尚未开始，不能按逾期未答复登记")
        if today <= deadline_on:
            raise TransitionError(f"征求意见期限至{zh_date(deadline_on)}届满，"
                                  "期满前不能登记逾期未提出意见（条例第三十二条）")
        if opinion:
            raise ValidationError("逾期未提出意见的，不填写意见内容", field="opinion")
    return answer, opinion or None


def label(consultation: Consultation) -> str:
    """The consultation's result in Chinese ('' while unanswered; a result recorded before results were
    structured shows only its text)."""
    if consultation.answered_on is None:
        return ""
    return ANSWERS.get(consultation.answer or "", "")


def notice_of(req: DisclosureRequest, consultation: Consultation) -> RequestDocument | None:
    """The 决定公开告知书 issued to this third party, or None."""
    return next((d for d in req.documents if d.kind == "disclosure_notice" and d.consultation_id == consultation.id),
                None)


def objections(req: DisclosureRequest) -> list[Consultation]:
    """The third parties consulted on this application who objected (Art. 32)."""
    return [c for c in req.consultations if c.kind == "third_party" and c.answer == "objected"]


def discloses(outcome: str) -> bool:
    return outcome in outcomes.OUTCOMES and outcomes.get(outcome).group in DISCLOSING_GROUPS


WITHHELD_THIRD_PARTY = "withheld_third_party"  # outcomes.py: 不予公开 on Art. 15 (third party's interest)


def _told(doc, on):
    """The 决定公开告知书 reached the third party (delivery recorded) on or before the reply's day `on`."""
    return doc is not None and doc.delivered_on is not None and (on is None or doc.delivered_on <= on)


def all_agreed(req: DisclosureRequest) -> list[Consultation]:
    """The third parties consulted on this application, when every one of them agreed to disclosure (Art. 15,
    32); [] when none was consulted or any objected, stayed silent or has not answered yet."""
    parties = [c for c in req.consultations if c.kind == "third_party"]
    return parties if parties and all(c.answer == "agreed" for c in parties) else []


def reply_refusal(req: DisclosureRequest, outcome: str, on: date) -> str | None:
    """The message refusing a reply dated `on` with `outcome`, or None when allowed:
    - Art. 32: a reply that discloses over a third party's objection before the 决定公开告知书 was delivered to
      it (delivery recorded, delivered on or before the reply's day) — "书面告知第三方" is done when it reaches
      the third party, not when it is written; withholding on the objection is always allowed;
    - Art. 15 with Art. 32: withholding on the third party's interest (withheld_third_party) when every third
      party consulted agreed ("第三方同意公开……的，予以公开"). A silent third party does not bar it: Art. 32 leaves
      that decision to the organ ("由行政机关依照本条例的规定决定是否公开");
    - Art. 32 ("行政机关应当书面征求第三方的意见"): withholding on the third party's interest without having consulted
      any third party."""
    if outcome == WITHHELD_THIRD_PARTY and not any(c.kind == "third_party" for c in req.consultations):
        return ("依照条例第三十二条，公开会损害第三方合法权益的，应当书面征求第三方的意见：以保护第三方合法权益为由"
                "不予公开（条例第十五条），须先征求第三方意见并登记其意见")
    if outcome == WITHHELD_THIRD_PARTY and (agreed := all_agreed(req)):
        return (f"{'、'.join(c.party for c in agreed)}已同意公开：依照条例第十五条、第三十二条，第三方同意公开的，"
                "予以公开，不能以涉及第三方合法权益为由不予公开")
    if not discloses(outcome):
        return None
    missing = [c.party for c in objections(req) if not _told(notice_of(req, c), on)]
    if not missing:
        return None
    return (f"{'、'.join(missing)}不同意公开：依照条例第三十二条，只有认为不公开可能对公共利益造成重大影响、"
            "并已将决定公开的政府信息内容和理由书面告知第三方（决定公开告知书已登记送达，送达日不晚于答复日）后，"
            "才能作出公开或部分公开的答复；否则应当不予公开")


def notice_refusal(req: DisclosureRequest, consultation: Consultation) -> str | None:
    """Art. 32: the message refusing a 决定公开告知书 to `consultation`'s party, or None: only to a third party
    of this application who objected, once, and before the reply (a closed application or a reply awaiting
    sign-off has been decided)."""
    if consultation.request_id != req.id or consultation.kind != "third_party":
        return "只能告知本申请征求过意见的第三方"
    if consultation.answer != "objected":
        return f"{consultation.party}未提出不同意公开的意见，无须告知决定公开（第三十二条）"
    if notice_of(req, consultation) is not None:
        return f"已向{consultation.party}发出决定公开告知书，不能重复发出"
    if req.status == Status.CLOSED.value:
        return "本申请已经办结：决定公开告知书应当在答复之前发出（条例第三十二条），办结后不能补发"
    if req.status == Status.AWAITING_SIGNOFF.value:
        return "答复已经拟定待签发：决定公开告知书应当在作出答复之前发出（条例第三十二条），请先退回答复"
    return None


def notice_candidates(req: DisclosureRequest) -> list[Consultation]:
    """The consultations to which a 决定公开告知书 may be sent now (for the handling page's forms)."""
    return [c for c in req.consultations if c.kind == "third_party" and notice_refusal(req, c) is None]
