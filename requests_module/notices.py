"""The text of the documents that start or change a period, and their PDF (issue 15 item 3). Each says who
issues it (the handling organ, requests_module/remedy.issuing_organ), to whom, on which application, what is
asked or decided, the period and how it runs, and the legal basis; the document number and date close it.
The reply letter itself is requests_module/letter.py."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.formats import zh_date
from requests_module import letter
from requests_module.pdf import official_document
from requests_module.periods import ANSWER_WORKDAYS
from requests_module.remedy import bodies_text, issuing_organ

if TYPE_CHECKING:
    from requests_module.models import Consultation, DisclosureRequest, RequestDocument

REGULATIONS = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
TITLES = {"correction_notice": "政府信息公开申请补正告知书", "extension_notice": "政府信息公开申请延期答复告知书",
          "consultation_letter": "政府信息公开第三方意见征求书", "fee_notice": "政府信息公开信息处理费收费通知书",
          "reply": "政府信息公开申请答复书", "disclosure_notice": "政府信息公开决定告知书",
          "reason_notice": "政府信息公开申请说明理由告知书", "delay_notice": "政府信息公开申请延迟答复告知书"}


def _received(req: DisclosureRequest) -> str:
    return zh_date(req.received_on) if req.received_on else zh_date(req.submitted_at.date())


def _you(req: DisclosureRequest) -> str:
    """您 for a person, 贵单位 for an organisation (issue 15 item 9; the same rule as letter.addressee)."""
    return letter.addressee(req)[1]


def _party_you(consultation: Consultation | None) -> str:
    """A consulted third party as its letters address it: 您 (a person) or 贵单位 (an organisation), chosen when
    consulting (handling.add_consultation); consultations recorded before that choice keep 您（单位）."""
    kind = getattr(consultation, "party_type", None)
    return {"person": "您", "org": "贵单位"}.get(kind, "您（单位）")


def _application(req: DisclosureRequest) -> str:
    return (f"本机关于{_received(req)}收到{_you(req)}提出的政府信息公开申请（申请编号：{req.number}），"
            f"申请获取“{req.title}”。")


def _sentence(text: str | None) -> str:
    text = (text or "").strip().rstrip("。；;.")
    return text


def _from_receipt(doc: RequestDocument, what: str) -> str:
    """How the period runs. The text is frozen at issue (条例 Art. 45: the archived document is what the
    addressee received): the delivery date and the period's end live in the delivery record, not here."""
    return f"{what}期限自收到本文书之日起算（收到当日不计入）。"


def correction_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """补正告知书: Art. 30 — what to correct, the guidance and explanation (指导和释明), the reasonable period from receipt, the consequence."""
    return [
        f"{doc.addressee}：",
        _application(req) + f"经审查，{_you(req)}的申请内容不够明确。根据{REGULATIONS}第三十条的规定，"
        f"请{_you(req)}对以下事项作出补正：",
        _sentence(doc.body) + "。",
        *([f"指导和释明：{_sentence(req.correction_guidance)}。"] if req.correction_guidance else []),
        f"请自收到本告知书之日起{doc.period_workdays}个工作日内补正。" + _from_receipt(doc, "补正"),
        "答复期限自本机关收到补正后的申请之日起计算。申请人无正当理由逾期不补正的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
    ]


def extension_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """延期告知书: Art. 33 para. 2 — the reason, the days, the new due date, the approving head."""
    paras = [
        f"{doc.addressee}：",
        _application(req),
        f"因{_sentence(doc.body)}，本机关不能在{REGULATIONS}第三十三条第二款规定的{ANSWER_WORKDAYS}个工作日内作出答复。"
        f"经政府信息公开工作机构负责人同意，答复期限延长{req.extension_days}个工作日，"
        f"延长后的答复期限至{zh_date(doc.answer_due_on)}。",
    ]
    approver = approver_name(req)
    if approver:
        paras.append(f"批准人：{approver}。")
    return paras


def approver_name(req: DisclosureRequest) -> str | None:
    """The head who approved the extension (Art. 33 para. 2; recorded by handling.extend); None for an
    extension recorded before the approver was kept."""
    user = req.extension_approver
    return user.name if user is not None else None


def consultation_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """征求意见书 to a third party: Art. 32 — 15 working days from its receipt; silence and refusal. To another
    organ: Art. 34 — 15 working days from its receipt; silence is consent."""
    if doc.consultation is not None and doc.consultation.kind == "organ":
        return [
            f"{doc.addressee}：",
            f"本机关于{_received(req)}收到政府信息公开申请（申请编号：{req.number}），申请获取“{req.title}”。"
            f"经审查，该政府信息由本机关与贵机关共同制作。根据{REGULATIONS}第三十四条的规定，现书面征求贵机关的意见。",
            f"请自收到本征求意见书之日起{doc.period_workdays}个工作日内提出意见。" + _from_receipt(doc, "提出意见的"),
            "逾期未提出意见的，视为同意公开。",
        ]
    you = _party_you(doc.consultation)
    return [
        f"{doc.addressee}：",
        f"本机关于{_received(req)}收到政府信息公开申请（申请编号：{req.number}），申请获取“{req.title}”。"
        f"经审查，该政府信息的公开可能损害{you}的合法权益。根据{REGULATIONS}第三十二条的规定，现书面征求{you}的意见。",
        f"请自收到本征求意见书之日起{doc.period_workdays}个工作日内书面提出是否同意公开的意见；不同意公开的，请说明理由。"
        + _from_receipt(doc, "提出意见的"),
        "逾期未提出意见的，由本机关依照条例的规定决定是否公开。不同意公开且有合理理由的，本机关不予公开；"
        f"本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知{you}。",
    ]


def fee_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """收费通知书: Art. 42 and 国办函〔2020〕109号 — basis, method, standard and calculation
    (requests_module/fees.py: calculation_lines), amount, due rule, consequence."""
    from requests_module.fees import calculation_lines

    first, *payment = (doc.body or "").splitlines() or [""]
    amount = req.fee_amount if req.fee_amount is not None else _sentence(first).removesuffix("元")
    return [
        f"{doc.addressee}：",
        _application(req),
        f"{_you(req)}申请公开政府信息的数量、频次明显超过合理范围。根据{REGULATIONS}第四十二条和{FEE_MEASURES}的规定，"
        "本机关依法收取信息处理费。",
        *calculation_lines(req),
        f"收费金额：人民币{amount}元。",
        *payment,  # how to pay, as set for the issuing organ when the notice was issued (handling.payment_channel)
        f"请自收到本通知次日起{doc.period_workdays}个工作日内缴纳。" + _from_receipt(doc, "缴费"),
        "自发出本通知至收到费用的时间不计算在答复期限内。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ]


def disclosure_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """决定公开告知书 to a third party whose objection was overruled: Art. 32 — the information to be disclosed
    and the reasons, in writing."""
    from requests_module.documents import disclosure_parts

    content, reasons = disclosure_parts(doc)
    c = doc.consultation
    you = _party_you(c)
    asked = (f"本机关曾于{zh_date(c.sent_on)}书面征求{you}的意见，{you}于{zh_date(c.answered_on)}提出不同意公开的意见。"
             if c is not None and c.answered_on else f"本机关曾书面征求{you}的意见，{you}提出不同意公开的意见。")
    return [
        f"{doc.addressee}：",
        f"本机关于{_received(req)}收到政府信息公开申请（申请编号：{req.number}），申请获取“{req.title}”。" + asked,
        f"经审查，本机关认为不公开可能对公共利益造成重大影响。根据{REGULATIONS}第三十二条的规定，本机关决定予以公开，"
        "现将决定公开的政府信息内容和理由书面告知如下：",
        f"决定公开的政府信息内容：{_sentence(content)}。",
        f"决定公开的理由：{_sentence(reasons)}。",
        # The third party may challenge the decision (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: six months).
        f"如对本决定不服，可以自收到本告知书之日起六十日内向{bodies_text(issuing_organ(req)[1])}申请行政复议，"
        "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。",
    ]


def reason_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """说明理由告知书: Art. 35 — the organ finds the number or frequency of applications clearly beyond a
    reasonable range and asks for reasons, within a period from receipt; the consequences either way."""
    you = _you(req)
    return [
        f"{doc.addressee}：",
        _application(req) + f"经审查，{you}申请公开政府信息的数量、频次明显超过合理范围：{_sentence(doc.body)}。",
        f"根据{REGULATIONS}第三十五条的规定，请{you}自收到本告知书之日起{doc.period_workdays}个工作日内说明理由。"
        + _from_receipt(doc, "说明理由的"),
        "本机关认为申请理由不合理的，将告知不予处理；认为申请理由合理，但是无法在条例第三十三条规定的期限内答复的，"
        "将确定延迟答复的合理期限并告知。",
    ]


def delay_paragraphs(req: DisclosureRequest, doc: RequestDocument) -> list[str]:
    """延迟答复告知书: Art. 35 — the reasons were found reasonable but the answer cannot be given within the
    Art. 33 period; the reasonable later date."""
    you = _you(req)
    return [
        f"{doc.addressee}：",
        _application(req),
        f"经审查，{you}说明的申请理由合理，但本机关无法在{REGULATIONS}第三十三条规定的期限内答复。"
        f"根据条例第三十五条的规定，本机关确定延迟答复的合理期限至{zh_date(doc.answer_due_on)}。",
    ]


PARAGRAPHS: dict[str, Callable[[DisclosureRequest, RequestDocument], list[str]]] = {
    "correction_notice": correction_paragraphs, "extension_notice": extension_paragraphs,
    "consultation_letter": consultation_paragraphs, "fee_notice": fee_paragraphs,
    "disclosure_notice": disclosure_paragraphs, "reason_notice": reason_paragraphs,
    "delay_notice": delay_paragraphs}


def document_text(req: DisclosureRequest, doc: RequestDocument) -> tuple[str, str, list[str]]:
    """(issuing organ, title, paragraphs) of a document; the PDF and tests share them."""
    if doc.kind == "reply":
        organ, paras = letter.letter_text(req)
        return organ, TITLES["reply"], paras
    organ, _ = issuing_organ(req)
    return organ, TITLES[doc.kind], PARAGRAPHS[doc.kind](req, doc)


def render_document(req: DisclosureRequest, doc: RequestDocument) -> bytes:
    """PDF bytes of one document of the application."""
    if doc.kind == "reply":
        return letter.render_pdf(req)
    organ, title, paras = document_text(req, doc)
    return official_document(organ=organ, title=title, number=doc.number, paras=paras, dated=doc.issued_on,
                             subject=req.number)
