"""The written reply to a correction request (更正申请答复书, 条例 Art. 41) as PDF: the reply letter's
machinery (requests_module/letter.py: font, styles, layout) and its remedy paragraph (remedy.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.formats import zh_date
from requests_module.correction_models import DECISIONS
from requests_module.pdf import official_document
from requests_module.remedy import correction_remedy_text, issuing_organ

if TYPE_CHECKING:
    from requests_module.correction_models import CorrectionRequest

TITLE = "更正政府信息记录申请答复书"


def _decision_paras(cr: CorrectionRequest) -> list[str]:
    """What Art. 41 says the organ tells the applicant, per decision."""
    organ_named = cr.target_organ or ""
    if cr.decision == "corrected":
        return ["经审核，您反映的情况属实。根据《中华人民共和国政府信息公开条例》第四十一条的规定，本机关已对该信息记录予以更正。",
                f"更正情况：{cr.decision_text}"]
    if cr.decision == "forwarded":
        paras = [f"经审核，该信息记录的更正不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》第四十一条的规定，"
                 f"本机关已将您的更正申请转送有权更正的{organ_named}处理，请与该机关联系。"]
    elif cr.decision == "referred":
        paras = [f"经审核，该信息记录的更正不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》第四十一条的规定，"
                 f"请您向有权更正的{organ_named}提出更正申请。"]
    else:
        why = ("您提交的证据不能证明该信息记录不准确" if cr.decision == "not_proven"
               else "该信息记录与您自身无关")
        paras = [f"经审核，{why}，不符合《中华人民共和国政府信息公开条例》第四十一条规定的更正条件，本机关决定不予更正。",
                 f"理由：{cr.decision_text}"]
        return paras
    if cr.decision_text:
        paras.append(cr.decision_text)
    return paras


def letter_text(cr: CorrectionRequest) -> tuple[str, list[str]]:
    """(organ, paragraphs) of the reply; the PDF and tests share them."""
    organ, body = issuing_organ(cr)
    paras = [f"{cr.name}：",
             f"本机关于{zh_date(cr.received_on)}收到您（单位）提出的更正政府信息记录申请（申请编号：{cr.number}），"
             f"要求更正{cr.provided_by}于{zh_date(cr.provided_on)}提供的“{cr.record_title}”。现答复如下：",
             *_decision_paras(cr),
             f"处理结果：{DECISIONS[cr.decision][0]}。",
             correction_remedy_text(organ, body)]
    return organ, paras


def render_pdf(cr: CorrectionRequest) -> bytes:
    """PDF bytes of the reply to a decided correction request."""
    if cr.decision is None or cr.decided_on is None:
        raise ValueError("only a decided correction request has a letter")
    organ, paras = letter_text(cr)
    return official_document(organ=organ, title=TITLE, number=cr.letter_number, paras=paras, dated=cr.decided_on,
                             subject=cr.number)
