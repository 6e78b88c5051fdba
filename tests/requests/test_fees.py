"""The information-processing fee of 国办函〔2020〕109号《政府信息公开信息处理费管理办法》 (Art. 42 of the
disclosure regulations): the tier amounts of both methods at every boundary, the free thresholds, the 按件
count by identity number within one calendar month, a typed amount that does not match refused (page and
API), the calculation stored and the notice sent to the applicant."""
from datetime import timezone
from decimal import Decimal

import pytest

from core.errors import DomainError, ValidationError
from core.extensions import db
from core.notifications.models import Notification
from requests_module import fees, handling
from requests_module.models import DisclosureRequest
from tests.conftest import at, make_user, pinned
from tests.requests.helpers import date, deliver, noon, received
from tests.requests.test_refused_actions import Page, post, staff_client

OTHER_ID = "110105194912310038"


@pytest.mark.parametrize("n, amount", [(10, "0"), (11, "100"), (30, "2000"), (31, "2200"), (40, "4000"),
                                       (41, "4300")])
def test_piece_tiers_at_each_boundary(n, amount):
    """Measures Art. 4: 1–10 件 free, 11–30 100 元/件, then +100 元/件 per band of 10 (31–40 200, 41– 300)."""
    calc = fees.calculate("piece", n)
    assert calc.amount == Decimal(amount)
    assert sum(t.units for t in calc.tiers) == n and sum(t.subtotal for t in calc.tiers) == calc.amount
    # the same application as the applicant's n-th of the month costs that band's price alone
    assert fees.calculate("piece", 1, prior=n - 1).amount == Decimal(
        {10: 0, 11: 100, 30: 100, 31: 200, 40: 200, 41: 300}[n])


@pytest.mark.parametrize("pages, amount", [(30, "0"), (31, "10"), (100, "700"), (101, "720"), (200, "2700"),
                                           (201, "2740")])
def test_page_tiers_at_each_boundary(pages, amount):
    """Measures Art. 5: 1–30 pages free, 31–100 10 元/页, 101–200 20 元/页, 201 on 40 元/页 (超额累进, Art. 3)."""
    calc = fees.calculate("pages", pages)
    assert calc.amount == Decimal(amount) and calc.first == 1
    assert [(t.first, t.last) for t in calc.tiers][-1] == (
        {30: 1, 31: 31, 100: 31, 101: 101, 200: 101, 201: 201}[pages], pages)


def test_the_itemised_calculation_names_each_band():
    """Measures Art. 3–4: the calculation shows every band the units fall in, the free part included."""
    calc = fees.calculate("piece", 3, prior=9)
    assert calc.lines() == ["第10件，共1件，不收费", "第11—12件，共2件，每件100元，小计200.00元"]
    assert "当月累计第10—12件" in calc.summary() and calc.summary().endswith("合计200.00元")
    assert fees.from_json(calc.as_json()) == calc


def test_method_and_quantity_are_checked():
    """Measures Art. 3: one of the two methods; a whole number of 件 or pages."""
    with pytest.raises(ValidationError, match="计费方式"):
        fees.calculate("both", 40)
    for bad in (0, -1, 2**70, "x", "", None, True):
        with pytest.raises(ValidationError) as err:
            fees.calculate("pages", bad)
        assert err.value.field == "quantity"


def test_a_fee_below_the_free_threshold_is_refused(seeded):
    """Measures Art. 4–5: 30 pages or the applicant's first 10 件 of the month are free: no fee notice."""
    req = received(date(2026, 11, 2))
    with pytest.raises(DomainError, match="未超过免费标准"):
        handling.fee_notice(req, method="pages", quantity=30, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                            actor="t")
    with pytest.raises(DomainError, match="未超过免费标准"):
        handling.fee_notice(req, method="piece", quantity=10, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                            actor="t")
    db.session.rollback()
    assert db.session.get(DisclosureRequest, req.id).status == "assigned"


def test_piece_count_is_per_organ(seeded):
    """Measures Art. 4 with 条例 Art. 27: the month's 件 are counted per organ — ten applications to 住建局 do
    not make the applicant's first application to the district government chargeable."""
    zjj = make_user("staff", "zj@x.cn", department="zjj")
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13):
        received(date(2026, 11, day), dep=None, actor=zjj, title=f"住建第{day}号")
    req = received(date(2026, 11, 16), title="向区政府的第一件")
    assert fees.prior_pieces(req) == 0
    later_zjj = received(date(2026, 11, 17), dep=None, actor=zjj, title="住建第十一件")
    assert fees.prior_pieces(later_zjj) == 10


def test_piece_count_by_identity_number_within_the_calendar_month(seeded):
    """Measures Art. 4: 按件 counts the same applicant's (same identity number) applications in one calendar
    month — not another month's, not another person's with the same phone."""
    for day in (date(2026, 10, 29), date(2026, 10, 30)):  # October: another month
        received(day, dep=None)
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12):  # nine in November before the one charged
        received(date(2026, 11, day), dep=None, title=f"第{day}号文件", phone="13900002222")
    received(date(2026, 11, 12), dep=None, id_number=OTHER_ID, title="别人的申请")  # another person, same phone
    req = received(date(2026, 11, 13), title="本件")
    assert fees.prior_pieces(req) == 9
    with pytest.raises(DomainError, match="未超过免费标准"):  # the 10th of the month: still free
        handling.fee_notice(req, method="piece", quantity=1, on=date(2026, 11, 13), now=noon(date(2026, 11, 13)),
                            actor="t")
    db.session.rollback()
    handling.fee_notice(req, method="piece", quantity=3, on=date(2026, 11, 13), now=noon(date(2026, 11, 13)),
                        actor="t")  # split into 3 件 (一事一申请): the 10th–12th
    assert req.fee_amount == Decimal("200.00") and req.fee_method == "piece" and req.fee_units == 3
    assert req.fee_calculation["first"] == 10 and req.fee_calculation["amount"] == "200.00"
    assert [t["price"] for t in req.fee_calculation["tiers"]] == ["0", "100"]
    later = received(date(2026, 11, 20), title="再一件")
    assert fees.prior_pieces(later) == 12  # the charged application counted as its 3 件
    december = received(date(2026, 12, 1), title="下月")
    assert fees.prior_pieces(december) == 0


def test_the_fee_notice_is_sent_and_its_text_states_basis_standard_amount_and_due_date(seeded):
    """Art. 42 and the measures: the notice names basis, method, standard, amount and when to pay; the answer
    period stops; the notice document's text lines (fees.notice_paragraphs)."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=101, amount="720", on=date(2026, 11, 4),
                        now=noon(date(2026, 11, 4)), actor="t")
    # the 20 working days run from the day after the applicant's receipt: unknown until delivery is recorded
    assert req.status == "awaiting_payment" and req.fee_due_on is None
    sms = Notification.query.filter_by(event="fee_notice", channel="sms", address=req.phone).one()
    for part in ("国办函〔2020〕109号", "按量计收", "31—100页", "720.00元", "请自收到本通知次日起20个工作日内缴纳",
                 "视为放弃申请"):
        assert part in sms.body, part
    assert "请自收到本通知次日起20个工作日内缴纳" in "\n".join(fees.notice_paragraphs(req))
    deliver(req, "fee_notice", date(2026, 11, 4))
    assert req.fee_due_on == date(2026, 12, 2)
    text = "\n".join(fees.notice_paragraphs(req))
    for part in ("第四十二条", "国办函〔2020〕109号", "第五条", "201页以上的部分，40元/页",
                 "第31—100页，共70页，每页10元，小计700.00元", "人民币720.00元", "2026年12月2日前",
                 req.number, "缴费地点：盐城市亭湖区人民政府"):
        assert part in text, part
    # the organ that received the application issues the notice, not 民政局 that handles the work (Art. 27, 42)
    assert "民政局" not in text


def test_a_mismatched_amount_is_refused_on_the_page_with_the_typed_values_kept(app, seeded):
    """Measures Art. 5: 43 pages cost 130 元; a typed 120 元 is refused (409) and nothing is lost."""
    req = received(date(2026, 10, 9))
    client = staff_client(app)
    with pinned(app, noon(date(2026, 10, 12))):
        resp = post(client, req, "fee_notice", method="pages", quantity="43", amount="120", on="2026-10-12")
    html = resp.get_data(as_text=True)
    page = Page(html)
    assert resp.status_code == 409
    assert "收费金额120.00元与收费标准计算结果130.00元不符" in html
    assert page.value("fee-quantity") == "43" and page.value("fee-amount") == "120"
    assert page.attrs("fee-amount").get("aria-invalid") == "true"
    assert db.session.get(DisclosureRequest, req.id).fee_notice_on is None
    with pinned(app, noon(date(2026, 10, 12))):
        resp = post(client, req, "fee_notice", method="pages", quantity="43", amount="130", on="2026-10-12")
    assert resp.status_code == 302
    assert db.session.get(DisclosureRequest, req.id).fee_amount == Decimal("130.00")
    with pinned(app, noon(date(2026, 10, 12))):
        page = client.get(f"/requests/staff/{req.id}").get_data(as_text=True)
    assert "按量计收：共43页" in page


def test_the_api_computes_the_fee_and_refuses_a_mismatch(api_as):
    """Measures Art. 3–5 through /api/v1: method and quantity in, the stored calculation out; a wrong amount
    409, a free quantity 409, a bad method 400."""
    staff = api_as("staff", "mzj")
    from tests.requests.test_api import register
    rid = register(staff, received_on="2026-11-02")["id"]
    url, now = f"/disclosure-requests/{rid}/fee-notice", noon(date(2026, 11, 4))
    r = staff.post(url, {"method": "pages", "quantity": 43, "amount": "120", "on": "2026-11-04"}, now=now)
    assert r.status_code == 409 and "130.00元不符" in r.get_json()["message"]
    r = staff.post(url, {"method": "pages", "quantity": 30, "on": "2026-11-04"}, now=now)
    assert r.status_code == 409 and "未超过免费标准" in r.get_json()["message"]
    r = staff.post(url, {"method": "both", "quantity": 43, "on": "2026-11-04"}, now=now)
    assert r.status_code == 400 and "method" in r.get_json()["fields"]
    r = staff.post(url, {"method": "pages", "quantity": 43, "on": "2026-11-04"}, now=now)
    assert r.status_code == 200
    fee = r.get_json()["fee"]
    assert fee["amount"] == "130.00" and fee["method"] == "pages" and fee["units"] == 43
    assert fee["calculation"]["tiers"][1] == {"first": 31, "last": 43, "price": "10", "units": 13,
                                              "subtotal": "130.00"}
    spec = staff.get("/openapi.json").get_json()
    body = spec["paths"]["/disclosure-requests/{request_id}/fee-notice"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"method", "quantity"} and schema["properties"]["method"]["enum"] == [
        "piece", "pages"]


def test_the_month_is_the_local_calendar_month(seeded):
    """Measures Art. 4 (一个自然月): an online application submitted at 07:00 Beijing time on 1 December is
    December's, though it is still 30 November in UTC."""
    from requests_module import intake
    from tests.requests.helpers import APPLICATION
    first = intake.submit_online(APPLICATION, now=at(2026, 12, 1, 7))  # 2026-11-30 23:00 UTC
    assert first.submitted_at.astimezone(timezone.utc).day == 30
    assert fees.application_day(first) == date(2026, 12, 1)
    req = received(date(2026, 12, 2), title="十二月")
    assert fees.prior_pieces(req) == 1


def test_an_application_is_charged_once(seeded):
    """Measures Art. 3: one standard per application, never both, never twice — after payment no second
    fee notice."""
    req = received(date(2026, 11, 2))
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                        actor="t")
    handling.record_payment(req, on=date(2026, 11, 5), now=noon(date(2026, 11, 5)), actor="t")
    with pytest.raises(DomainError, match="只能收费一次"):
        handling.fee_notice(req, method="piece", quantity=20, on=date(2026, 11, 6), now=noon(date(2026, 11, 6)),
                            actor="t")


def test_the_applicant_sees_the_fee_notice_on_their_application(app, seeded):
    """Art. 42 and the measures: the applicant is told the fee — in-app and on their application's page, the
    notice's text with amount, standard and due date."""
    from core.departments.models import Department
    from requests_module import intake
    from tests.conftest import login, make_user
    from tests.requests.helpers import APPLICATION
    citizen = make_user("citizen", "13800001111")
    req = intake.submit_online(APPLICATION, now=at(2026, 11, 2, 9), citizen=citizen)
    intake.confirm_receipt(req, received_on=date(2026, 11, 2), now=at(2026, 11, 2, 10), actor="intake")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 2, 11), actor="intake")
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                        actor="t")
    inapp = Notification.query.filter_by(event="fee_notice", channel="inapp", user_id=citizen.id).one()
    assert "130.00元" in inapp.body
    deliver(req, "fee_notice", date(2026, 11, 4))
    client = app.test_client()
    login(client, "13800001111")
    with pinned(app, noon(date(2026, 11, 5))):
        html = client.get(f"/requests/{req.id}").get_data(as_text=True)
    assert "收费通知" in html and "应缴金额：人民币130.00元。" in html and "2026年12月2日前" in html


@pytest.mark.parametrize("typed", ["１３０", "130.５", "١٣٠"])
def test_an_amount_in_other_digits_is_refused_as_days_and_dates_are(seeded, typed):
    """One rule for typed numbers: ASCII digits (full-width or Arabic-Indic digits are refused with a message,
    not read as 130)."""
    with pytest.raises(ValidationError, match="金额应为数字") as err:
        fees.parse_amount(typed)
    assert err.value.field == "amount"
