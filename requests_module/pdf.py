"""Shared building blocks of the formal documents as PDF (答复书, 补正告知书, 延期告知书, 征求意见书, 收费通知书):
ReportLab with the built-in Chinese CID font (no font file needed: the PDF names Adobe's STSong-Light,
which every PDF reader supplies), one page layout, one set of styles."""
import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from requests_module.common import zh

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=TA_CENTER)
NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=18, alignment=TA_CENTER)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")
PLAIN = ParagraphStyle("plain", fontName=FONT, fontSize=12, leading=22, wordWrap="CJK")
RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=12, leading=22, alignment=2)


def p(text, style=BODY):
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def official_document(*, organ, title, number, paras, dated, subject=""):
    """PDF bytes of an official document: organ and title centred, the document number, the salutation
    (`paras[0]`, not indented), the body paragraphs, then the organ and the date at the right."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=f"{title} {subject}".strip(), author=organ)
    story = [p(organ, TITLE), p(title, TITLE), Spacer(1, 4), p(number or "", NUMBER), Spacer(1, 12),
             p(paras[0], PLAIN)]
    story += [p(text) for text in paras[1:] if text]
    story += [Spacer(1, 24), p(organ, RIGHT), p(zh(dated), RIGHT)]
    doc.build(story)
    return buf.getvalue()
