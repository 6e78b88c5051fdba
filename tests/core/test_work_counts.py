"""Live work counts (issue 18 item 13): the home page and the header's 我的工作 menu count each queue of the
staff member's role and department — 待收件 / 待办, 临期, 超期 — by the clock that ranks each item, with the
one urgency rule (core.clocks.service.urgency_of) at the time asked."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from core.clocks.models import Clock
from core.departments.models import Department
from core.extensions import db
from core.workcounts import WorkCount
from hotline import intake as hotline_intake
from hotline import queries as hotline_queries
from hotline.seed import seed_categories
from requests_module import queries as request_queries
from tests.conftest import at, login, make_user, pinned
from tests.requests.helpers import received


@pytest.fixture
def work(seeded):
    """民政局 (mzj) staff; an application assigned to 民政局, one still to be received and assigned, and a
    12345 ticket dispatched to 民政局; a 住建局 (zjj) staff member who sees none of them."""
    seed_categories()
    mzj = make_user("staff", "s@x.cn", department="mzj")
    make_user("staff", "z@x.cn", department="zjj")
    make_user("supervisor", "sup@x.cn")
    application = received(date(2026, 11, 2), actor=mzj)
    received(date(2026, 11, 3), dep=None)
    ticket = hotline_intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13900001111",
                                           "content": "工地夜间施工噪声", "address": "亭湖区某路"}, channel="phone",
                                          received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9), actor="op")
    hotline_intake.dispatch(ticket, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 9, 5), actor="op")
    return mzj, application, ticket


def _clock(entity_kind, entity_id, name):
    return (Clock.query.filter_by(entity_kind=entity_kind, entity_id=str(entity_id), name=name)
            .order_by(Clock.id.desc()).first())


def test_counts_follow_the_urgency_of_each_clock(work):
    mzj, application, ticket = work
    answer = _clock("disclosure_request", application.id, "answer")
    sign_for = _clock("ticket", ticket.id, "sign_for")
    assert answer is not None and sign_for is not None
    handling = request_queries.HANDLING
    for moment, expected in ((answer.warn_at - timedelta(minutes=1), WorkCount(1)),
                             (answer.warn_at + timedelta(minutes=1), WorkCount(1, due_soon=1)),
                             (answer.due_at + timedelta(minutes=1), WorkCount(1, overdue=1))):
        assert request_queries.queue_count(user=mzj, statuses=handling, now=moment) == expected
    for moment, expected in ((sign_for.warn_at - timedelta(minutes=1), WorkCount(1)),
                             (sign_for.warn_at, WorkCount(1, due_soon=1)),
                             (sign_for.due_at + timedelta(minutes=1), WorkCount(1, overdue=1))):
        query = hotline_queries.in_queue(hotline_queries.DEPARTMENT_QUEUE, mzj)
        assert hotline_queries.queue_count(query, moment) == expected


def test_each_role_and_department_counts_its_own_queues(work):
    mzj, _, _ = work
    from core.auth.models import User
    other = User.query.filter_by(email="z@x.cn").one()
    supervisor = User.query.filter_by(email="sup@x.cn").one()
    now = at(2026, 11, 17, 10)
    handling, intake = request_queries.HANDLING, request_queries.INTAKE_STATUSES
    assert request_queries.queue_count(user=other, statuses=handling, now=now).total == 0
    assert hotline_queries.queue_count(hotline_queries.in_queue(hotline_queries.DEPARTMENT_QUEUE, other), now).total == 0
    assert request_queries.queue_count(user=supervisor, statuses=handling, now=now).total == 1
    assert request_queries.queue_count(statuses=intake, now=now, label="待收件") == WorkCount(1, label="待收件")
    assert hotline_queries.queue_count(hotline_queries.in_queue(hotline_queries.DEPARTMENT_QUEUE, supervisor),
                                       now).total == 1


def test_a_hotline_count_is_one_query_whatever_the_queue_holds(work, app):
    _, _, ticket = work
    for i in range(5):  # more tickets in the queue: still one query
        t = hotline_intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13900001111",
                                          "content": f"噪声 {i}", "address": "亭湖区某路"}, channel="phone",
                                         received_at=at(2026, 11, 16, 10), now=at(2026, 11, 16, 10), actor="op")
        hotline_intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 10, 5), actor="op")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        count = hotline_queries.queue_count(hotline_queries.in_queue(hotline_queries.DEPARTMENT_QUEUE), at(2026, 11, 16, 11))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert count.total == 6 and len(statements) == 1


def test_home_page_and_header_show_the_counts(work, client, app):
    mzj, application, _ = work
    answer = _clock("disclosure_request", application.id, "answer")
    login(client, "s@x.cn")
    with pinned(app, answer.due_at + timedelta(minutes=1)):
        home = client.get("/").get_data(as_text=True)
        fragment = client.get("/nav/work").get_data(as_text=True)
    main = home.split('<main id="main"')[1]
    assert "待办 1</span> <span class=\"badge bg-danger\">超期 1</span>" in main  # 依申请公开办理队列: overdue
    assert 'id="work-summary"' in home and 'hx-get="/nav/work"' in home
    assert "依申请公开办理队列" in fragment and "超期 1" in fragment
    assert 'id="work-summary" hx-swap-oob="true"' in fragment  # the header's summary, refreshed too
    assert "<html" not in fragment
    login(client, "sup@x.cn")
    home = client.get("/").get_data(as_text=True)
    assert "依申请公开收件分办" in home and "待收件 1" in home


def test_citizens_have_no_work_and_a_signed_out_header_keeps_its_menu(work, client):
    resp = client.get("/nav/work")
    assert resp.status_code == 204 and resp.data == b""  # htmx swaps nothing (no login page in the menu)
    make_user("citizen", "c@x.cn")
    login(client, "c@x.cn")
    resp = client.get("/nav/work")
    assert resp.status_code == 200 and "dropdown-item" not in resp.get_data(as_text=True)


def test_favicon_is_served_to_everyone(client, app):
    resp = client.get("/favicon.ico", follow_redirects=True)
    assert resp.status_code == 200 and resp.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)
