"""The annual report page and its XLSX/CSV files (cells read back with openpyxl)."""
import csv
import io

import openpyxl

from tests.reports.test_disclosure_annual import applications  # noqa: F401  (fixture)


def _sheet(resp):
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=disclosure-2026-")
    return openpyxl.load_workbook(io.BytesIO(resp.data)).active


def test_xlsx_laid_out_like_the_official_table(client, as_role, applications):  # noqa: F811
    as_role("supervisor")
    ws = _sheet(client.get("/reports/disclosure/2026.xlsx"))
    assert ws["A1"].value.startswith("三、收到和处理政府信息公开申请情况（2026年度")
    assert ws["D2"].value == "申请人情况" and ws["D3"].value == "自然人" and ws["E3"].value == "法人或其他组织"
    assert [ws.cell(4, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert ws["J3"].value == "总计"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"D2:J2", "E3:I3", "D3:D4", "J3:J4", "A5:C5", "B9:B16"} <= merged
    assert ws["A5"].value == "一、本年新收政府信息公开申请数量" and [ws.cell(5, c).value for c in range(4, 11)] == \
        [5, 0, 1, 0, 0, 0, 6]
    assert ws["A7"].value == "三、本年度办理结果" and ws["B7"].value == "（一）予以公开" and ws["J7"].value == 2
    assert ws["B9"].value == "（三）不予公开" and ws["C9"].value == "1．属于国家秘密" and ws["F9"].value == 1
    assert ws["B28"].value == "（七）总计" and [ws.cell(28, c).value for c in range(4, 11)] == [4, 1, 1, 0, 0, 0, 6]
    assert ws["A29"].value == "四、结转下年度继续办理" and ws["H29"].value == 1 and ws["J29"].value == 3


def test_csv_and_page(client, as_role, applications):  # noqa: F811
    as_role("supervisor")
    resp = client.get("/reports/disclosure/2026.csv?department=mzj")
    lines = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert "民政局" in lines[0][0]
    assert lines[1] == ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert lines[2] == ["一、本年新收政府信息公开申请数量", "3", "0", "1", "0", "0", "0", "4"]
    assert ["四、结转下年度继续办理", "1", "0", "0", "0", "1", "0", "2"] in lines
    html = client.get("/reports/disclosure/2026").get_data(as_text=True)
    assert "全区（各部门合计）" in html and "勾稽关系" in html and "第一项加第二项之和不等于" not in html
    assert client.get("/reports/disclosure/?year=2025&department=zjj").headers["Location"].endswith(
        "/reports/disclosure/2025?department=zjj")
    assert client.get("/reports/disclosure/1999").status_code == 404
    assert client.get("/reports/disclosure/2026.pdf").status_code == 404


def test_department_staff_see_only_their_department(client, as_role, applications):  # noqa: F811
    as_role("staff", "zjj")
    html = client.get("/reports/disclosure/2026?department=mzj").get_data(as_text=True)
    assert "住建局" in html and "民政局" not in html
    ws = _sheet(client.get("/reports/disclosure/2026.xlsx?department=mzj"))
    assert ws["J5"].value == 1 and ws["J7"].value == 0  # zjj: one new application, answered 不予处理


def test_citizens_cannot_read_reports(client, as_role, applications):  # noqa: F811
    as_role("citizen")
    assert client.get("/reports/disclosure/2026").status_code == 403


def test_staff_record_a_lawsuit_and_section_four_is_exported(client, as_role, applications):  # noqa: F811
    from requests_module.models import DisclosureRequest
    from tests.conftest import csrf_from
    req = DisclosureRequest.query.filter_by(outcome="withheld_state_secret").one()
    as_role("supervisor")
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "登记复议或诉讼" in page
    token = csrf_from(page)
    bad = client.post(f"/requests/staff/{req.id}/dispute", data={"csrf_token": token, "kind": "litigation",
                                                                 "filed_on": "2026-03-01"}, follow_redirects=True)
    assert "提起日期不能早于申请收到日期" in bad.get_data(as_text=True)
    client.post(f"/requests/staff/{req.id}/dispute", data={"csrf_token": token, "kind": "litigation",
                                                          "filed_on": "2026-05-01", "note": "（2026）苏0902行初1号"})
    page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "尚未审结" in page and "（2026）苏0902行初1号" in page
    dispute = req.disputes[0]
    client.post(f"/requests/staff/{req.id}/dispute_result", data={
        "csrf_token": token, "dispute": dispute.id, "result": "upheld", "decided_on": "2026-08-03"})
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/reports/disclosure/2026.xlsx").data))
    four = wb.worksheets[1]
    assert four["A1"].value.startswith("四、政府信息公开行政复议、行政诉讼情况")
    assert four["A2"].value == "行政复议" and four["F2"].value == "行政诉讼" and four["F3"].value == "未经复议直接起诉"
    assert [four.cell(4, c).value for c in range(1, 6)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [four.cell(5, c).value for c in range(1, 16)] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    text = client.get("/reports/disclosure/2026.csv").get_data(as_text=True)
    assert "行政诉讼：未经复议直接起诉,1,0,0,0,1" in text
