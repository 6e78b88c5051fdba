"""The annual table as files: XLSX laid out like the official table (merged headings, three label
columns for 项目/分组/情形) and CSV (one line per row, flat labels)."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core.exports import CsvWriter, workbook_bytes
from reports.disclosure_annual import COLUMNS, DISPUTE_GROUPS, DISPUTE_RESULTS, FEE_COLUMNS, FEE_NOTES, FEE_ROWS, rows

if TYPE_CHECKING:
    from typing import Any

    from reports.disclosure_annual import AnnualTable

TITLE = "三、收到和处理政府信息公开申请情况"
TITLE_4 = "四、政府信息公开行政复议、行政诉讼情况"
TITLE_6 = "六、其他需要报告的事项：收取信息处理费情况"
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
FIRST_DATA_ROW = 5  # rows 1–4: title, 申请人情况, 自然人/法人或其他组织/总计, organisation types
LABEL_COLUMNS = 3


def _scope(table: AnnualTable) -> str:
    return table.title


def xlsx_bytes(table: AnnualTable) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{table.year}年第三部分"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    last_col = LABEL_COLUMNS + len(COLUMNS)

    ws.cell(1, 1, f"{TITLE}（{table.year}年度 · {_scope(table)}）").font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(2, 1, NOTE)
    ws.merge_cells(start_row=2, start_column=1, end_row=4, end_column=LABEL_COLUMNS)
    ws.cell(2, LABEL_COLUMNS + 1, "申请人情况")
    ws.merge_cells(start_row=2, start_column=LABEL_COLUMNS + 1, end_row=2, end_column=last_col)
    ws.cell(3, LABEL_COLUMNS + 1, "自然人")
    ws.merge_cells(start_row=3, start_column=LABEL_COLUMNS + 1, end_row=4, end_column=LABEL_COLUMNS + 1)
    ws.cell(3, LABEL_COLUMNS + 2, "法人或其他组织")
    ws.merge_cells(start_row=3, start_column=LABEL_COLUMNS + 2, end_row=3, end_column=last_col - 1)
    for i, (_key, label) in enumerate(COLUMNS[1:-1]):
        ws.cell(4, LABEL_COLUMNS + 2 + i, label)
    ws.cell(3, last_col, "总计")
    ws.merge_cells(start_row=3, start_column=last_col, end_row=4, end_column=last_col)

    table_rows = rows()
    r = FIRST_DATA_ROW
    heading = {}  # level -> (label, first sheet row): 三、本年度办理结果 in A, a group such as （三）不予公开 in B
    for index, row in enumerate(table_rows):
        if not row.key:
            heading[row.level] = (row.label, r)
            continue
        ws.cell(r, row.level + 1, row.label)
        if row.level < 2:
            ws.merge_cells(start_row=r, start_column=row.level + 1, end_row=r, end_column=LABEL_COLUMNS)
        for i, (col, _label) in enumerate(COLUMNS):
            ws.cell(r, LABEL_COLUMNS + 1 + i, table.get(row.key, col))
        following = table_rows[index + 1] if index + 1 < len(table_rows) else None
        if 1 in heading and row.level == 2 and (following is None or following.level < 2):
            label, first = heading.pop(1)
            ws.cell(first, 2, label)
            ws.merge_cells(start_row=first, start_column=2, end_row=r, end_column=2)
        if 0 in heading and row.key == "total":
            label, first = heading.pop(0)
            ws.cell(first, 1, label)
            ws.merge_cells(start_row=first, start_column=1, end_row=r, end_column=1)
        r += 1
    for row_cells in ws.iter_rows(min_row=2, max_row=r - 1, max_col=last_col):
        for cell in row_cells:
            cell.border = border
            cell.alignment = centre if cell.column > LABEL_COLUMNS or cell.row < FIRST_DATA_ROW else left
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 40
    _disputes_sheet(wb.create_sheet(f"{table.year}年第四部分"), table, border, centre)
    _fees_sheet(wb.create_sheet(f"{table.year}年第六部分"), table, border, centre)
    return workbook_bytes(wb)


def _fees_sheet(ws: Any, table: AnnualTable, border: Any, centre: Any) -> None:
    """Section 六: the fees of 国办函〔2020〕109号 — notices sent, fees collected by method (件数, 金额)."""
    ws.cell(1, 1, f"{TITLE_6}（{table.year}年度 · {_scope(table)}）").font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + len(FEE_COLUMNS))
    ws.cell(2, 1, "项目")
    for i, (_key, label) in enumerate(FEE_COLUMNS):
        ws.cell(2, 2 + i, label)
    for r, (key, label) in enumerate(FEE_ROWS, start=3):
        count, amount = table.fee(key)
        ws.cell(r, 1, label)
        ws.cell(r, 2, count)
        ws.cell(r, 3, float(amount)).number_format = "0.00"
    for row_cells in ws.iter_rows(min_row=2, max_row=2 + len(FEE_ROWS), max_col=1 + len(FEE_COLUMNS)):
        for cell in row_cells:
            cell.border, cell.alignment = border, centre
    ws.cell(3 + len(FEE_ROWS), 1, "说明：" + FEE_NOTES)
    ws.column_dimensions["A"].width = 24


def _disputes_sheet(ws: Any, table: AnnualTable, border: Any, centre: Any) -> None:
    """Section 四: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), five result columns each, one row."""
    n = len(DISPUTE_RESULTS)
    ws.cell(1, 1, f"{TITLE_4}（{table.year}年度 · {_scope(table)}）").font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3 * n)
    ws.cell(2, 1, "行政复议")
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=n)
    ws.cell(2, n + 1, "行政诉讼")
    ws.merge_cells(start_row=2, start_column=n + 1, end_row=2, end_column=3 * n)
    ws.cell(3, n + 1, "未经复议直接起诉")
    ws.merge_cells(start_row=3, start_column=n + 1, end_row=3, end_column=2 * n)
    ws.cell(3, 2 * n + 1, "复议后起诉")
    ws.merge_cells(start_row=3, start_column=2 * n + 1, end_row=3, end_column=3 * n)
    for g, (group, _label) in enumerate(DISPUTE_GROUPS):
        for i, (result, label) in enumerate(DISPUTE_RESULTS):
            ws.cell(4, g * n + i + 1, label)
            ws.cell(5, g * n + i + 1, table.dispute(group, result))
    for row_cells in ws.iter_rows(min_row=2, max_row=5, max_col=3 * n):
        for cell in row_cells:
            cell.border, cell.alignment = border, centre


def csv_text(table: AnnualTable) -> str:
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow([f"{TITLE}（{table.year}年度 · {_scope(table)}）"])
    writer.writerow(["项目"] + [label for _key, label in COLUMNS])
    for row in rows():
        writer.writerow([row.label] + ([table.get(row.key, col) for col, _ in COLUMNS] if row.key else []))
    writer.writerow([])
    writer.writerow([f"{TITLE_4}（{table.year}年度 · {_scope(table)}）"])
    writer.writerow(["类别"] + [label for _key, label in DISPUTE_RESULTS])
    for group, label in DISPUTE_GROUPS:
        writer.writerow([label] + [table.dispute(group, result) for result, _ in DISPUTE_RESULTS])
    writer.writerow([])
    writer.writerow([f"{TITLE_6}（{table.year}年度 · {_scope(table)}）"])
    writer.writerow(["项目"] + [label for _key, label in FEE_COLUMNS])
    for key, label in FEE_ROWS:
        count, amount = table.fee(key)
        writer.writerow([label, count, str(amount)])
    writer.writerow(["说明：" + FEE_NOTES])
    return out.getvalue()
