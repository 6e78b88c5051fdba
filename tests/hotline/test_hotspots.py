"""热点预警 (issue 20 item 4): the detection over the sliding window raises one alert per cluster to the
supervisors — never twice, rewritten when the cluster grows — and none for scattered tickets; thresholds, window
and left-out matters as configured; the periodic duty's interval, the CLI and the alert's links."""
from dataclasses import replace
from datetime import timedelta

import pytest

from core.notifications.links import details_of, target_of
from core.notifications.models import Notification
from hotline import callback, intake
from hotline.hotspot_cluster import Thresholds
from hotline.hotspot_models import Hotspot, HotspotMember, HotspotRun
from hotline.hotspots import Settings, detect, hotspot_watch, settings
from tests.conftest import at, make_user

NOW = at(2026, 11, 20, 10, 0)  # a Friday
NOISE = "小区楼下烧烤店每晚噪音扰民到凌晨，影响休息"


def call(n, *, address="亭湖区毓龙路街道阳光花园小区3栋", category="030101", content=NOISE, phone=None, received=None,
         **extra):
    """Ticket n of a caller of its own, received n × 6 hours before NOW unless told."""
    received = received or NOW - timedelta(hours=6 * n)
    data = {"type": "complaint", "category_code": category, "caller_phone": phone or f"1380000{n:04d}",
            "content": content, "address": address, **extra}
    return intake.create_ticket(data, channel="phone", received_at=received, now=received, actor="op")


@pytest.fixture
def sups(hot):
    make_user("operator", "op@x.cn")
    return [make_user("supervisor", "sup1@x.cn"), make_user("supervisor", "sup2@x.cn")]


def alerts():
    return Notification.query.filter_by(event="hotspot_alert").order_by(Notification.user_id).all()


def test_a_planted_cluster_raises_exactly_one_alert_and_running_again_raises_none(sups):
    planted = [call(i) for i in range(1, 6)]
    result = detect(NOW)
    assert len(result.raised) == 1 and result.grown == [] and result.clusters == 1
    h = Hotspot.query.one()
    assert (h.place_key, h.place_label, h.category_code) == ("estate:阳光花园", "阳光花园", "030101")
    assert (h.ticket_count, h.caller_count, h.raised_at) == (5, 5, NOW)
    assert {m.ticket_id for m in HotspotMember.query} == {t.id for t in planted}
    assert "噪声" in h.keywords.split()
    sent = alerts()
    assert [n.user_id for n in sent] == [s.id for s in sups]  # one per supervisor, none for the operator
    for n in sent:
        assert (n.entity_kind, n.entity_id, n.channel) == ("hotspot", str(h.id), "inapp")
        assert "阳光花园" in n.subject and "5 件" in n.subject
        assert all(t.number in n.body for t in planted) and "5 位来电人" in n.body
    for later in (NOW, NOW + timedelta(hours=1)):
        again = detect(later)
        assert again.raised == [] and again.grown == []
    assert Hotspot.query.count() == 1 and len(alerts()) == 2


def test_a_growing_cluster_rewrites_its_alert_never_a_second_one(sups, app):
    for i in range(1, 6):
        call(i)
    detect(NOW)
    first = alerts()[0]
    first.read_at = NOW
    from core.extensions import db
    db.session.commit()
    sixth = call(6, received=NOW + timedelta(minutes=30))
    result = detect(NOW + timedelta(hours=1))
    h = Hotspot.query.one()
    assert result.raised == [] and result.grown == [h.id]
    assert h.ticket_count == 6 and h.grown_at == NOW + timedelta(hours=1)
    assert HotspotMember.query.filter_by(ticket_id=sixth.id).one().hotspot_id == h.id
    sent = alerts()
    assert len(sent) == 2
    for n in sent:
        assert n.read_at is None and n.created_at == NOW + timedelta(hours=1)  # unread again, on top of the inbox
        assert "6 件" in n.subject and "本次新增 1 件" in n.body and sixth.number in n.body


def test_scattered_tickets_raise_nothing(sups):
    for i, estate in enumerate(["阳光花园", "富康花园", "聚亨园", "黄海新村", "紫薇花园"], 1):
        call(i, address=f"亭湖区{estate}{i}栋")  # the same noise at five estates
    topics = [("030103", "小区门口污水井冒水"), ("010301", "物业费上涨不合理"), ("040101", "超市出售过期面包"),
              ("050101", "孩子入学划片咨询"), ("070101", "户口迁移需要什么材料")]
    for i, (category, content) in enumerate(topics, 11):
        call(i, address="亭湖区聚亨园8号楼", category=category, content=content)  # five topics at one estate
    result = detect(NOW)
    assert result.raised == [] and result.clusters == 0 and alerts() == []
    planted = [call(i, address="盐城市亭湖区文港南路88号") for i in range(21, 26)]  # and now a real one
    assert len(detect(NOW).raised) == 1
    assert {m.ticket_id for m in HotspotMember.query} == {t.id for t in planted} and len(alerts()) == 2


def test_the_thresholds_are_respected(sups, app):
    for i in range(1, 5):
        call(i)
    assert detect(NOW).raised == []  # four are not five
    for i in range(5, 9):
        call(i, phone="13800001111")  # four more calls, one caller
    s = settings()
    assert s.thresholds == Thresholds(5, 3, 2) and s.window_days == 7
    assert detect(NOW, replace(s, thresholds=Thresholds(8, 6, 2))).raised == []  # eight tickets, five callers
    app.config.update(HOTSPOT_MIN_TICKETS=8, HOTSPOT_MIN_CALLERS=5)
    try:
        assert settings().thresholds == Thresholds(8, 5, 2)
        assert len(detect(NOW).raised) == 1
    finally:
        app.config.update(HOTSPOT_MIN_TICKETS=5, HOTSPOT_MIN_CALLERS=3)


def test_the_window_slides(sups):
    for i in range(1, 4):
        call(i)  # within the week
    for i in range(4, 6):
        call(i, received=NOW - timedelta(days=8, hours=i))  # more than seven days ago
    call(6, received=NOW + timedelta(hours=1))  # after the run's `now`
    assert detect(NOW).clusters == 0
    assert len(detect(NOW, replace(settings(), window_days=10)).raised) == 1
    assert Hotspot.query.one().ticket_count == 5  # the ticket received after `now` is not in it


def test_tickets_with_coordinates_only_cluster_by_their_grid_square(sups):
    for i in range(1, 6):
        call(i, address="", lat=33.3801 + i * 0.0001, lng=120.1601)
    detect(NOW)
    h = Hotspot.query.one()
    assert h.place_kind == "grid" and "200 米方格" in h.place_label
    assert h.lat == pytest.approx(33.3804) and h.lng == pytest.approx(120.1601)


def test_other_categories_join_through_shared_keywords(sups):
    for i in range(1, 4):
        call(i, content="工地夜间施工噪音扰民，渣土车进出")
    for i in range(4, 6):  # the operator chose 其他, the words are the same
        call(i, category="990101", content="工地夜间施工噪音很大，渣土车进出频繁")
    detect(NOW)
    h = Hotspot.query.one()
    assert h.ticket_count == 5 and h.category_code == "030101"


def test_matters_12345_did_not_keep_are_left_out_but_merged_duplicates_count(sups):
    tickets = [call(i) for i in range(1, 6)]
    intake.transfer_emergency(tickets[0], to="119", now=NOW - timedelta(hours=1), actor="op")  # a fire: not ours
    assert detect(NOW).clusters == 0
    call(6)
    callback.merge(tickets[1], [tickets[2]], now=NOW - timedelta(minutes=30), actor="op")
    result = detect(NOW)
    assert len(result.raised) == 1 and Hotspot.query.one().ticket_count == 5  # 2–6, the merged one included


def test_the_periodic_duty_runs_at_most_every_interval(sups):
    for i in range(1, 6):
        call(i)
    assert hotspot_watch(NOW) == 1
    assert hotspot_watch(NOW + timedelta(minutes=5)) == 0 and HotspotRun.query.count() == 1  # skipped
    call(6, received=NOW + timedelta(minutes=10))
    assert hotspot_watch(NOW + timedelta(minutes=15)) == 1 and HotspotRun.query.count() == 2  # grown
    assert hotspot_watch(NOW - timedelta(days=1)) == 0 and HotspotRun.query.count() == 3  # an earlier `now` runs
    from core.jobs.periodic import deadline_sweep
    assert deadline_sweep(NOW + timedelta(hours=1))["hotspot_watch"] == 0
    assert HotspotRun.query.count() == 4 and len(alerts()) == 2


def test_settings_are_kept_within_sense(app):
    s = Settings.from_config({**app.config, "HOTSPOT_MIN_TICKETS": 0, "HOTSPOT_MIN_CALLERS": 99,
                              "HOTSPOT_WINDOW_DAYS": 10**9, "HOTSPOT_GRID_M": -5, "HOTSPOT_SHARED_KEYWORDS": 0})
    assert s.thresholds == Thresholds(2, 2, 1) and s.window_days == 366 and s.grid_m == 10
    assert "近 366 天同一地点、同一主题不少于 2 件" in s.rule


def test_the_command_runs_the_detection_at_the_time_given(sups, app):
    for i in range(1, 6):
        call(i)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["hotline", "hotspots", "--now", "2026-11-20T10:00+08:00"])
    assert out.exit_code == 0, out.output
    assert "新预警 1 处" in out.output and "阳光花园 · 噪声扰民" in out.output and "5 位来电人" in out.output
    again = runner.invoke(args=["hotline", "hotspots", "--now", "2026-11-20T10:00+08:00"])
    assert "新预警 0 处" in again.output and len(alerts()) == 2
    for bad, says in (("0001-01-01T00:00+08:00", "年份"), ("9999-12-31T00:00+08:00", "年份"),
                      ("2026-11-20T10:00", "时区"), ("tomorrow", "ISO 8601")):
        refused = runner.invoke(args=["hotline", "hotspots", "--now", bad])
        assert refused.exit_code == 2 and says in refused.output, bad


def test_the_alert_leads_supervisors_to_the_hot_spot_and_its_tickets(sups, app):
    planted = [call(i) for i in range(1, 6)]
    detect(NOW)
    h, n = Hotspot.query.one(), alerts()[0]
    operator = make_user("operator", "op2@x.cn")
    with app.test_request_context():
        assert target_of(sups[0], n) == f"/hotline/hotspots/{h.id}"
        assert details_of(sups[0], n) == [(t.number, f"/hotline/tickets/{t.id}") for t in planted[::-1]]
        assert target_of(operator, n) is None and details_of(operator, n) == []
