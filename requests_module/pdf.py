"""Shared building blocks of the formal documents as PDF (答复书, 补正告知书, 延期告知书, 征求意见书, 收费通知书,
决定公开告知书, 更正申请答复书): ReportLab with the built-in Chinese CID font (no font file needed: the PDF names
Adobe's STSong-Light, which every PDF reader supplies), one page layout, one set of styles, and one line
breaker that keeps the rules of Chinese typesetting (GB/T 15834 / 行首禁则): ReportLab's own CJK wrapping lets
"，；：？！”》" begin a line, so every document's lines are broken here (issue 15 item 9)."""
from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from core.formats import zh_date

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE, LEADING, INDENT = 12, 22, 24
LEFT, RIGHT_MARGIN = 28 * mm, 26 * mm
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads each side by 6 pt
WIDTH = A4[0] - LEFT - RIGHT_MARGIN - 2 * FRAME_PADDING

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=TA_CENTER)
NUMBER = ParagraphStyle("number", fontName=FONT, fontSize=11, leading=18, alignment=TA_CENTER)
MARK = ParagraphStyle("mark", fontName=FONT, fontSize=14, leading=22, alignment=TA_CENTER)
LINES = ParagraphStyle("lines", fontName=FONT, fontSize=SIZE, leading=LEADING)
RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=SIZE, leading=LEADING, alignment=2)

# 行首禁则: marks that may not begin a line; 行尾禁则: opening marks that may not end one.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}>")
NO_LINE_END = set("（《「『【〔〈“‘([{<")
DRAFT_MARK = "草稿（预览）"


def _width(text: str) -> float:
    return pdfmetrics.stringWidth(text, FONT, SIZE)


_TOKEN = re.compile(r"[A-Za-z0-9@:/._\-%?=&#+~]+|.", re.S)


def break_lines(text: str, first_width: float = WIDTH, width: float = WIDTH) -> list[str]:
    """Greedy line breaking with the Chinese line-start and line-end rules: a closing mark that would begin
    a line takes the previous character down with it; an opening mark never ends a line; a run of Latin
    letters and digits (a number, an address on the web) is not split unless it is longer than a line."""
    tokens: list[str] = []
    for tok in _TOKEN.findall(text):
        tokens += list(tok) if _width(tok) > width else [tok]
    lines: list[str] = []
    line: list[str] = []
    avail = first_width
    for tok in tokens:
        if not line or _width("".join(line) + tok) <= avail - 0.1:
            line.append(tok)
            continue
        kept = list(line)
        carry: list[str] = []
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


def paragraph(text: str, indent: bool = True) -> Paragraph:
    """A body paragraph (first line indented unless `indent` is False), broken by break_lines."""
    lines: list[str] = []
    for i, raw in enumerate(text.split("\n")):
        first = WIDTH - INDENT if indent and i == 0 else WIDTH
        lines += break_lines(raw, first, WIDTH)
    markup = "<br/>".join(escape(line) for line in lines)
    return Paragraph(markup, ParagraphStyle("p", parent=LINES, firstLineIndent=INDENT if indent else 0))


def centred(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def official_document(*, organ: str, title: str, number: str | None, paras: Sequence[str], dated: date | None,
                      subject: str = "", tail: Sequence[str] = (), draft: bool = False,
                      mark: str | None = None) -> bytes:
    """PDF bytes of an official document: organ and title centred, the document number (a draft: the mark
    草稿（预览） and no number), a `mark` line under it if given (a 补录 copy's note), the salutation (`paras[0]`,
    not indented), the body paragraphs, `tail` lines not indented (the attachment list), then the organ and
    the date at the right."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT_MARGIN, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=f"{title} {subject}".strip(), author=organ)
    story = [centred(organ, TITLE), centred(title, TITLE), Spacer(1, 4),
             centred(DRAFT_MARK, MARK) if draft else centred(number or "", NUMBER)]
    if mark:
        story.append(paragraph(mark, indent=False))
    story += [Spacer(1, 12), paragraph(paras[0], indent=False)]
    story += [paragraph(text) for text in paras[1:] if text]
    story += [paragraph(text, indent=False) for text in tail]
    story += [Spacer(1, 24), centred(organ, RIGHT), centred(zh_date(dated) if dated else "（签发之日）", RIGHT)]
    doc.build(story)
    return buf.getvalue()
