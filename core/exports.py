"""Spreadsheet exports that never carry a live formula (CSV / formula injection, OWASP; ASVS 1.2.10).

Stored text (a department's or category's name, anything an admin or a citizen typed) may begin with a
character that Excel, WPS or LibreOffice read as the start of a formula. `formula_like` is the one rule
for which text that is; the two writers below apply it:
- CSV: the cell is prefixed with an apostrophe, which spreadsheets show and never evaluate;
- XLSX: the cell is written as a plain string with the "quote prefix" flag, the file form of a typed
  apostrophe: the text shows unchanged, and it stays text even when someone edits the cell.
Exports write no formulas of their own; every workbook is saved through `workbook_bytes`."""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import IO, Any

    from openpyxl import Workbook

# = + - @ start a formula; a leading tab, line break or NUL lets one slip past a naive check
# (OWASP CSV Injection; ASVS 1.2.10 adds NUL). The full-width forms are cheap to include: IMEs type them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")


def formula_like(value: object) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: formula-like text gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value


class CsvWriter:
    """csv.writer whose every cell passes through csv_cell."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])


def workbook_bytes(wb: Workbook) -> bytes:
    """Save an openpyxl workbook; formula-like text (openpyxl turns "=…" into a formula) becomes a
    quote-prefixed string cell first."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
