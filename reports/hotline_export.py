"""The hotline dashboard as an XLSX workbook: a summary sheet with every rate (numerator, denominator,
value as a percentage cell) and one sheet per breakdown, all from reports.presenter.hotline()."""
from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from core.exports import workbook_bytes

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

BREAKDOWNS = [  # sheet title, data key, label key, label heading
    ("每日受理量", "by_day", "day", "日期"),
    ("诉求类型", "by_type", "label", "类型"),
    ("受理渠道", "by_channel", "label", "渠道"),
    ("诉求分类", "by_category", "label", "一级分类"),
    ("承办部门", "by_department", "department", "部门"),
]


def _heading(ws: Any, *labels: str) -> None:
    ws.append(list(labels))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _rate_cells(rate: Mapping[str, Any]) -> list[Any]:
    return [rate["numerator"], rate["denominator"], rate["value"]]


def xlsx_bytes(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    scope = data["department"] or "全区"
    ws.append([f"12345 热线数据（受理时间 {data['from']} 至 {data['to']} · {scope}）"])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(["受理量", data["received"]])
    ws.append(["平均办理时长（小时，受理到答复）", data["avg_handling_hours"]])
    ws.append([])
    _heading(ws, "指标", "分子", "分母", "比率")
    for rate in data["rates"].values():
        ws.append([rate["label"], *_rate_cells(rate)])
        ws.cell(ws.max_row, 4).number_format = "0.0%"
    ws.column_dimensions["A"].width = 34

    for title, key, label, heading in BREAKDOWNS:
        sheet = wb.create_sheet(title)
        _heading(sheet, heading, "件数")
        for row in data[key]:
            sheet.append([row[label], row["count"]])
        sheet.column_dimensions["A"].width = 24

    sheet = wb.create_sheet("部门排名")
    _heading(sheet, "名次", "部门", "件数", "按时办结（分子）", "按时办结（分母）", "按时办结率",
             "满意（分子）", "满意（分母）", "满意率")
    for n, row in enumerate(data["ranking"], 1):
        sheet.append([n, row["department"], row["count"], *_rate_cells(row["done_on_time"]),
                      *_rate_cells(row["satisfaction"])])
        for col in (6, 9):
            sheet.cell(sheet.max_row, col).number_format = "0.0%"
    for row in data["not_ranked"]:
        sheet.append(["样本不足", row["department"], row["count"]])
    sheet.append([f"不少于 {data['min_sample']} 件才排名；按时办结率高者在前，满意率次之"])
    sheet.column_dimensions["B"].width = 24

    sheet = wb.create_sheet("上升分类")
    _heading(sheet, "一级分类", "本周", "上周")
    for row in data["rising"]:
        sheet.append([row["label"], row["this_week"], row["last_week"]])

    from reports.assessment_export import assessment_sheet
    assessment_sheet(wb, data["assessment"])  # 综合考核 (reports/hotline_assessment.py)
    return workbook_bytes(wb)
