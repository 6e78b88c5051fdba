"""The 综合考核 sheet of the hotline XLSX (reports/hotline_export.py): every measure as numerator,
denominator and a percentage cell, the score and the rank, then the method and weights."""
from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.styles import Font

if TYPE_CHECKING:
    from typing import Any

    from openpyxl import Workbook


def assessment_sheet(wb: Workbook, a: dict[str, Any]) -> None:
    sheet = wb.create_sheet("综合考核")
    sheet.append([f"12345 热线综合考核（受理时间 {a['from']} 至 {a['to']}）" + (f" · {a['department']}" if a["department"] else "")])
    sheet["A1"].font = Font(bold=True, size=12)
    heading = ["名次", "部门", "派单"]
    for m in a["measures"]:
        heading += [f"{m['label']}（分子）", f"{m['label']}（分母）", m["label"]]
    sheet.append(heading + ["退单不成立（件）", "综合考核得分"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in a["rows"] + a["not_ranked"]:
        values = [row["rank"] or "未排名", row["department"], row["sample"]]
        for m in a["measures"]:
            r = row["rates"][m["key"]]
            values += [r["numerator"], r["denominator"], r["value"]]
        sheet.append(values + [row["rejected_returns"], row["score"]])
        for i in range(len(a["measures"])):
            sheet.cell(sheet.max_row, 6 + 3 * i).number_format = "0.0%"
    sheet.append([])
    sheet.append(["计算方法"])
    for m in a["measures"]:
        sheet.append([m["label"], m["formula"], f"权重 {m['weight']:g}" if m["weight"] else "不计分"])
    sheet.append(["综合考核得分", "100 × Σ 权重 × 指标值 ÷ Σ 权重（有数据的加权指标；退单率、退单不成立率、重办率取 1 − 比率）"
                  f"，每件退单不成立扣 {a['rejected_return_points']:g} 分，最低 0 分"])
    sheet.append(["排名", f"派给本部门不少于 {a['min_sample']} 件且有得分才排名"])
    sheet.column_dimensions["B"].width = 28
