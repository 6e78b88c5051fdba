"""The formal reply letter (政府信息公开申请答复书) as PDF, with ReportLab's built-in Chinese CID font
(no font file needed: the PDF names Adobe's STSong-Light, which every PDF reader supplies).

It reads like an official document (issue 15 item 9): one salutation addressing the applicant as a person
(张三： … 您) or as an organisation (单位名称： … 贵单位), the organ that received the application signs it
(remedy.issuing_organ, 条例 Art. 27), a holder organ is named with its contact details (Art. 36 (5)), the
attachments are listed, and no line starts with a closing punctuation mark (lines are broken here with the
rules of Chinese typesetting, GB/T 15834 / 行首禁则, because ReportLab's CJK wrapping lets "，；：？！”》"
begin a line). A draft is rendered the same way, marked 草稿（预览）, and carries no document number: the
number is assigned when the letter is issued (intake.close, numbering.py).
"""
import io
import re
from dataclasses import dataclass, field
from datetime import date

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
SIZE, LEADING, INDENT = 12, 22, 24
LEFT, RIGHT = 28 * mm, 26 * mm
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads each side by 6 pt
WIDTH = A4[0] - LEFT - RIGHT - 2 * FRAME_PADDING

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=TA_CENTER)
_NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=18, alignment=TA_CENTER)
_MARK = ParagraphStyle("mark", fontName=FONT, fontSize=14, leading=22, alignment=TA_CENTER)
_LINES = ParagraphStyle("lines", fontName=FONT, fontSize=SIZE, leading=LEADING)
_RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=SIZE, leading=LEADING, alignment=2)

# 行首禁则: marks that may not begin a line; 行尾禁则: opening marks that may not end one.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}>")
NO_LINE_END = set("（《「『【〔〈“‘([{<")
DRAFT_MARK = "草稿（预览）"


@dataclass
class Letter:
    """What the letter says; `number` is None for a draft (no document number before issue)."""

    organ: str
    number: str | None
    salutation: str
    paragraphs: list
    attachments: list = field(default_factory=list)
    day: date | None = None

    @property
    def is_draft(self):
        return self.number is None


def addressee(req):
    """(salutation name, pronoun): a person by name and 您, an organisation by its name and 贵单位."""
    return (req.name.strip(), "贵单位") if req.applicant_type == "org" else (req.name.strip(), "您")


def compose(req, *, outcome, text, legal_ground=None, holder_organ=None, holder_contact=None, attachments=(),
            day=None, number=None):
    """The letter for these reply values (the issued reply's or a draft's)."""
    o = outcomes.get(outcome)
    organ, body = issuing_organ(req)
    name, you = addressee(req)
    received = zh(req.received_on) if req.received_on else zh(req.submitted_at.date())
    outcome_line = f"答复结果：{o.group}" + (f"（{o.label}）" if o.label != o.group else "") + "。"
    paras = [f"本机关于{received}收到{you}提出的政府信息公开申请（申请编号：{req.number}），"
             f"申请获取“{req.title}”。经审查，现答复如下："]
    typed = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if typed and typed[0].rstrip(":：") in (name, "您好", "你好", "贵单位"):
        typed = typed[1:]  # a salutation typed into the reply text: the letter has exactly one, above
    paras += typed
    paras.append(outcome_line)
    if legal_ground:
        paras.append(f"依据：{legal_ground.strip().rstrip('。')}。")
    if outcome == "unavailable_not_held" and holder_organ:
        # Art. 36 (5): name the organ responsible for the information and how to reach it
        paras.append(f"经查，{you}申请获取的信息不属于本机关负责公开，负责公开该信息的行政机关为{holder_organ.strip()}，"
                     f"联系方式：{(holder_contact or '').strip().rstrip('。')}。{you}可以向该机关提出申请。")
    paras.append(remedy_text(outcome, organ, body))  # requests_module/remedy.py (行政复议法 Art. 23, 24, 27)
    return Letter(organ=organ, number=number, salutation=f"{name}：", paragraphs=paras,
                  attachments=[a for a in attachments if a], day=day)


def issued_letter(req):
    """The letter of a replied application, as issued (its number, its day, its reply attachments)."""
    return compose(req, outcome=req.outcome, text=req.reply_text, legal_ground=req.legal_ground,
                   holder_organ=req.holder_organ, holder_contact=req.holder_contact,
                   attachments=reply_attachment_names(req), day=req.replied_on, number=req.reply_doc_number)


def reply_attachment_names(req):
    return [a.filename for a in req.attachments if a.kind == "reply"]


def letter_text(req):
    """(organ, [salutation, paragraphs…, attachment list]) of the issued letter as plain text."""
    letter = issued_letter(req)
    return letter.organ, [letter.salutation, *letter.paragraphs, *attachment_lines(letter)]


def attachment_lines(letter):
    if not letter.attachments:
        return []
    if len(letter.attachments) == 1:
        return [f"附件：{letter.attachments[0]}"]
    return ["附件：" + "\n".join(f"{i}. {name}" for i, name in enumerate(letter.attachments, 1))]


def _width(text):
    return pdfmetrics.stringWidth(text, FONT, SIZE)


_TOKEN = re.compile(r"[A-Za-z0-9@:/._\-%?=&#+~]+|.", re.S)


def break_lines(text, first_width=WIDTH, width=WIDTH):
    """Greedy line breaking with the Chinese line-start and line-end rules: a closing mark that would begin
    a line takes the previous character down with it; an opening mark never ends a line; a run of Latin
    letters and digits (a number, an address on the web) is not split unless it is longer than a line."""
    tokens = []
    for tok in _TOKEN.findall(text):
        tokens += list(tok) if _width(tok) > width else [tok]
    lines, line, avail = [], [], first_width
    for tok in tokens:
        if not line or _width("".join(line) + tok) <= avail - 0.1:
            line.append(tok)
            continue
        kept, carry = list(line), []
        if tok[0] in NO_LINE_START:
            while line and (not carry or carry[0][0] in NO_LINE_START) and len(carry) < 4:
                carry.insert(0, line.pop())
        while line and line[-1][-1] in NO_LINE_END and len(carry) < 4:
            carry.insert(0, line.pop())
        if not line or (carry and carry[0][0] in NO_LINE_START):  # nothing to carry: let the mark hang
            lines.append("".join(kept) + tok)
            line, avail = [], width
            continue
        lines.append("".join(line))
        line, avail = carry + [tok], width
    if line:
        lines.append("".join(line))
    return lines


def _para(text, indent=True):
    lines = []
    for i, raw in enumerate(text.split("\n")):
        first = WIDTH - INDENT if indent and i == 0 else WIDTH
        lines += break_lines(raw, first, WIDTH)
    markup = "<br/>".join(escape(line) for line in lines)
    return Paragraph(markup, ParagraphStyle("p", parent=_LINES, firstLineIndent=INDENT if indent else 0))


def _pdf(letter, title):
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=title, author=letter.organ)
    story = [_p(letter.organ, _TITLE), _p("政府信息公开申请答复书", _TITLE), Spacer(1, 4)]
    story.append(_p(DRAFT_MARK, _MARK) if letter.is_draft else _p(letter.number, _NUMBER))
    story += [Spacer(1, 12), _para(letter.salutation, indent=False)]
    story += [_para(text) for text in letter.paragraphs]
    story += [_para(text, indent=False) for text in attachment_lines(letter)]
    story += [Spacer(1, 24), _p(letter.organ, _RIGHT), _p(zh(letter.day) if letter.day else "（签发之日）", _RIGHT)]
    doc.build(story)
    return buf.getvalue()


def _p(text, style):
    return Paragraph(escape(text), style)


def render_pdf(req):
    """PDF bytes of the reply letter of a closed application."""
    if req.outcome is None or req.replied_on is None or req.reply_doc_number is None:
        raise ValueError("only a replied application has a letter")
    return _pdf(issued_letter(req), f"政府信息公开申请答复书 {req.number}")


def render_draft_pdf(letter):
    """PDF bytes of a letter not yet issued: marked 草稿（预览）, no document number."""
    if not letter.is_draft:
        raise ValueError("a draft has no document number")
    return _pdf(letter, f"政府信息公开申请答复书（草稿） {DRAFT_MARK}")
