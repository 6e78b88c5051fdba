"""The monthly 12345 assessment report as PDF (a 通报 the district circulates): title, period, method and
weights, one table row per department with every measure, score and rank, and notes on departments below
the sample size. ReportLab with the built-in Chinese CID font of requests_module/pdf.py (no font file,
no network)."""
from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.departments.seed_data import DISTRICT
from core.formats import zh_date
from requests_module.pdf import FONT, SIZE, break_lines

if TYPE_CHECKING:
    from typing import Any

TITLE = ParagraphStyle("a-title", fontName=FONT, fontSize=16, leading=24, alignment=1)
SUB = ParagraphStyle("a-sub", fontName=FONT, fontSize=10, leading=16, alignment=1)
BODY = ParagraphStyle("a-body", fontName=FONT, fontSize=9, leading=14)
CELL = ParagraphStyle("a-cell", fontName=FONT, fontSize=7, leading=9)
NUM = ParagraphStyle("a-num", parent=CELL, alignment=2)
SIGN = ParagraphStyle("a-sign", fontName=FONT, fontSize=10, leading=16, alignment=2)


# the body's line width in break_lines' measure (its 12 pt font): the lines keep 行首禁则 (GB/T 15834)
_LINE = (landscape(A4)[0] - 24 * mm - 12) * SIZE / BODY.fontSize


def _p(text: str, style: Any = BODY) -> Any:
    if style is BODY:
        text = "\n".join(line for raw in str(text).split("\n") for line in break_lines(raw, _LINE, _LINE))
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _pct(r: dict[str, Any]) -> str:
    if r["value"] is None:
        return "—"
    return f"{r['value'] * 100:.1f}%\n{r['numerator']}/{r['denominator']}"


def render(a: dict[str, Any], *, month: str, generated: date) -> bytes:
    """PDF bytes of the assessment `a` (reports/assessment_presenter.assessment) for `month` ("2026-11")."""
    year, mon = month.split("-")
    buf = io.BytesIO()
    title = f"{DISTRICT} 12345 热线承办单位考核报告（{int(year)}年{int(mon)}月）"
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=14 * mm,
                            bottomMargin=12 * mm, title=title, author=f"{DISTRICT} 12345 热线")
    scope = f" · {a['department']}（部门用户只看本部门，不排名）" if a["department"] else ""
    story = [_p(title, TITLE),
             _p(f"考核期间：受理时间 {a['from']} 至 {a['to']}{scope} · 统计截至：{zh_date(generated)}", SUB), Spacer(1, 6)]
    if date.fromisoformat(str(a["to"])) >= generated:  # the month is not over: nothing final may be read into it
        story.append(_p(f"注意：本报告生成时（{zh_date(generated)}）考核月份尚未结束，以下为截至当日的阶段数据，"
                        "仅供过程督促，不作为正式考核结果；正式结果以次月生成的报告为准。"))
    weighted = [m for m in a["measures"] if m["weight"]]
    story.append(_p("一、考核方法。依据《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》（国办发〔2020〕53号）、"
                    "国办发〔2022〕12号（12345 热线与 110 报警服务台对接联动）"
                    "和 GB/T 33358-2016《政府热线服务规范》，对当月受理、派给各承办单位的工单计算以下指标"
                    "（合并的重复件、转 110/119/120/122 的紧急件、不予受理和转依申请公开的工单不计入，但此前已超时的承办环节仍计为超时；当时仍在办且已超时的"
                    "工作计入分母）："))
    for m in a["measures"]:
        story.append(_p(f"· {m['label']} = {m['formula']}" + (f"（权重 {m['weight']:g}）" if m["weight"] else "（不计分）")))
    story.append(_p("综合考核得分 = 100 × Σ 权重 × 指标值 ÷ Σ 权重（只计有数据的加权指标；退单率、退单不成立率、重办率取"
                    f" 1 − 比率），每件退单不成立扣 {a['rejected_return_points']:g} 分，最低 0 分。权重："
                    + "、".join(f"{m['label']} {m['weight']:g}" for m in weighted)
                    + f"。派给本单位不少于 {a['min_sample']} 件且有得分的单位参加排名。"))
    story.append(Spacer(1, 6))
    story.append(_p("二、各承办单位考核结果"))
    head = ["名次", "承办单位", "派单"] + [m["label"] for m in a["measures"]] + ["退单不成立", "得分"]
    rows = [[_p(h, CELL) for h in head]]
    for r in a["rows"] + a["not_ranked"]:
        rows.append([_p(r["rank"] or "未排名", CELL), _p(r["department"], CELL), _p(r["sample"], NUM)]
                    + [_p(_pct(r["rates"][m["key"]]), NUM) for m in a["measures"]]
                    + [_p(r["rejected_returns"], NUM), _p(f"{r['score']:.2f}" if r["score"] is not None else "—", NUM)])
    if len(rows) == 1:
        rows.append([_p("本月没有可考核的承办单位。", CELL)] + [""] * (len(head) - 1))
    widths = [12 * mm, 34 * mm, 11 * mm] + [18 * mm] * len(a["measures"]) + [14 * mm, 14 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))]))
    story += [table, Spacer(1, 6)]
    if a["not_ranked"] and not a["department"]:
        story.append(_p("三、说明。以下单位本月派单不足 " f"{a['min_sample']} 件或没有可计分的指标，列出数据但不排名："
                        + "、".join(f"{r['department']}（{r['sample']} 件）" for r in a["not_ranked"]) + "。"))
    # 落款: the issuing body and the date, as on a 通报 (the document number is given when it is circulated)
    story += [Spacer(1, 12), _p(f"{DISTRICT} 12345 政务服务便民热线工作机构", SIGN), _p(zh_date(generated), SIGN)]
    doc.build(story)
    return buf.getvalue()
