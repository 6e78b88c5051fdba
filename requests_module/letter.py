"""The formal reply letter (政府信息公开申请答复书) as PDF, with ReportLab's built-in Chinese CID font
(no font file needed: the PDF names Adobe's STSong-Light, which every PDF reader supplies)."""
import io

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

from requests_module import outcomes
from requests_module.common import zh
from requests_module.remedy import issuing_organ, remedy_text

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=TA_CENTER)
_NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=18, alignment=TA_CENTER)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")
_PLAIN = ParagraphStyle("plain", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK")
_RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=12, leading=22, alignment=2)



def _p(text, style=_BODY):
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


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
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=f"政府信息公开申请答复书 {req.number}", author=organ)
    story = [_p(organ, _TITLE), _p("政府信息公开申请答复书", _TITLE), Spacer(1, 4),
             _p(req.reply_doc_number or "", _NUMBER), Spacer(1, 12), _p(paras[0], _PLAIN)]
    story += [_p(text) for text in paras[1:] if text]
    story += [Spacer(1, 24), _p(organ, _RIGHT), _p(zh(req.replied_on), _RIGHT)]
    doc.build(story)
    return buf.getvalue()
