"""Editing a day of the calendar asks first and says how many open deadlines would move (issue 18 item 10):
counted by running the recompute's own rule with and without the day, then the confirmed POST moves exactly
those."""
from datetime import date

from core.calendar import preview, service
from core.calendar.models import CalendarDay
from core.clocks.models import Clock
from core.extensions import db
from hotline.seed import seed_categories
from requests_module.states import ENTITY
from tests.conftest import at, csrf_from
from tests.reports.hotline_helpers import new
from tests.requests.helpers import received

HOLIDAY = date(2026, 10, 20)  # a Tuesday the admin made a holiday before the work below arrived


def _answer_due(req):
    clock = (Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(req.id), name="answer")
             .order_by(Clock.id.desc()).first())
    return clock.due_on


def _work():
    """Two applications whose 20 working days run over HOLIDAY, one that starts after it, and a ticket
    dispatched the day before the holiday."""
    service.set_day(HOLIDAY, "holiday", "临时放假", now=at(2026, 9, 1, 9), actor="t")
    seed_categories()
    over = [received(date(2026, 9, 28)), received(date(2026, 9, 29))]
    after = received(date(2026, 11, 2))
    new(at(2026, 10, 19, 15), to="mzj", dispatched=at(2026, 10, 19, 15, 30))
    return over, after


def _due_dates():
    return {(c.entity_kind, c.entity_id, c.name): c.due_at for c in Clock.query.filter(Clock.state != "stopped")}


def test_removal_preview_counts_what_the_recompute_moves(seeded, now):
    over, after = _work()
    assert _answer_due(over[0]) == date(2026, 11, 2)
    before = _due_dates()
    p = preview.removal(HOLIDAY)
    assert p.disclosure == 2 and p.current.kind == "holiday" and p.change is None
    assert db.session.get(CalendarDay, HOLIDAY) is not None  # asking changes nothing
    service.remove_day(HOLIDAY, now=now, actor="t")
    moved = {(kind, entity) for (kind, entity, _), due in _due_dates().items() if before[(kind, entity, _)] != due}
    assert p.disclosure == len({e for k, e in moved if k == ENTITY})
    assert p.tickets == len({e for k, e in moved if k == "ticket"}) == 1
    assert _answer_due(over[0]) == date(2026, 10, 30)


def test_delete_asks_then_only_the_confirmed_post_deletes(client, as_role):
    over, after = _work()
    after_due = _answer_due(after)
    as_role("admin")
    calendar_page = client.get("/admin/calendar/?year=2026").get_data(as_text=True)
    assert 'href="/admin/calendar/day/2026-10-20/delete"' in calendar_page  # a link to the question, not a delete
    page = client.get("/admin/calendar/day/2026-10-20/delete")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "确认删除" in html
    assert '<strong data-kind="disclosure">2</strong>' in html and '<strong data-kind="ticket">1</strong>' in html
    token = csrf_from(html)
    # a POST without the confirmation is shown the question; without CSRF it is refused
    resp = client.post("/admin/calendar/day/2026-10-20/delete", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/calendar/day/2026-10-20/delete")
    assert client.post("/admin/calendar/day/2026-10-20/delete", data={"confirmed": "1"}).status_code == 400
    assert db.session.get(CalendarDay, HOLIDAY) is not None
    resp = client.post("/admin/calendar/day/2026-10-20/delete", data={"csrf_token": token, "confirmed": "1"},
                       follow_redirects=True)
    assert "已删除 2026-10-20 的特殊安排" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CalendarDay, HOLIDAY) is None
    assert _answer_due(over[0]) == date(2026, 10, 30) and _answer_due(over[1]) == date(2026, 11, 2)
    assert _answer_due(after) == after_due


def test_setting_a_day_asks_and_keeps_what_was_typed(client, as_role):
    over, _ = _work()
    as_role("admin")
    token = csrf_from(client.get("/admin/calendar/").get_data(as_text=True))
    typed = {"csrf_token": token, "day": "2026-10-21", "kind": "holiday", "name": "临时放假"}
    html = client.post("/admin/calendar/day", data=typed).get_data(as_text=True)
    assert "确认保存" in html and '<strong data-kind="disclosure">2</strong>' in html and "临时放假" in html
    assert db.session.get(CalendarDay, date(2026, 10, 21)) is None
    back = client.get("/admin/calendar/?year=2026&day=2026-10-21&kind=holiday&name=临时放假").get_data(as_text=True)
    assert 'value="2026-10-21"' in back and 'value="临时放假"' in back  # 返回修改 keeps the typed values
    resp = client.post("/admin/calendar/day", data={**typed, "confirmed": "1"}, follow_redirects=True)
    assert "已设置 2026-10-21：放假" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert _answer_due(over[0]) == date(2026, 11, 3)
    missing = client.post("/admin/calendar/day", data={"csrf_token": token, "day": "", "name": "x"})
    assert missing.status_code == 302 and "name=x" in missing.headers["Location"]


def test_unknown_or_bad_day_is_a_message_not_an_error(client, as_role):
    as_role("admin")
    for day in ("2026-12-31", "2026-02-30", "nonsense"):
        resp = client.get(f"/admin/calendar/day/{day}/delete")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/calendar/")
