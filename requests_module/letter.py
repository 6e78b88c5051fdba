"""The formal reply letter (政府信息公开申请答复书) as PDF, with ReportLab's built-in Chinese CID font
(no font file needed: the PDF names Adobe's STSong-Light, which every PDF reader supplies)."""
from requests_module import outcomes
from requests_module.common import zh
from requests_module.pdf import official_document
from requests_module.remedy import issuing_organ, remedy_text


def letter_text(req):
    """The letter's paragraphs as plain text (the PDF and tests share them)."""
    o = outcomes.get(req.outcome)
    organ, body = issuing_organ(req)
    received = zh(req.received_on) if req.received_on else zh(req.submitted_at.date())
    outcome_line = f"答复结果：{o.group}" + (f"（{o.label}）" if o.label != o.group else "") + "。"
    paras = [
        f"{req.name}：",
        f"本机关于{received}收到您（单位）提出的政府信息公开申请（申请编号：{req.number}），"
        f"申请获取“{req.title}”。经审查，现答复如下：",
        req.reply_text or "",
        outcome_line,
    ]
    if req.legal_ground:
        paras.append(f"依据：{req.legal_ground}。")
    if req.outcome == "unavailable_not_held" and req.holder_organ:
        paras.append(f"经查，该信息由{req.holder_organ}掌握，您可以向该机关申请获取。")
    paras.append(remedy_text(req.outcome, organ, body))  # requests_module/remedy.py (行政复议法 Art. 23, 24, 27)
    return organ, paras


def render_pdf(req):
    """PDF bytes of the reply letter of a closed application."""
    if req.outcome is None or req.replied_on is None:
        raise ValueError("only a replied application has a letter")
    organ, paras = letter_text(req)
    return official_document(organ=organ, title="政府信息公开申请答复书", number=req.reply_doc_number,
                             paras=paras, dated=req.replied_on, subject=req.number)
