"""Notifications in the embedded mode (no Redis): outbox rows, delivery, retries, inbox, templates, SMTP."""
import json
import socket
import threading
from datetime import date, timedelta

import pytest

from core.db import unit_of_work
from core.notifications import service
from core.notifications.delivery import deliver, flush_outbox
from core.notifications.models import Notification
from core.notifications.templates import TEMPLATES, render, renderer
from tests.conftest import at, csrf_from, login, make_user

NOW = at(2026, 11, 20, 10)


@pytest.fixture
def sink(app, tmp_path, monkeypatch):
    path = tmp_path / "sink.jsonl"
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL_ADAPTER", "file")
    monkeypatch.setitem(app.config, "NOTIFY_SMS_ADAPTER", "file")
    monkeypatch.setitem(app.config, "NOTIFY_FILE_SINK", str(path))
    return path


def delivered(path):
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_committed_notification_is_delivered_once_in_process(seeded, sink):
    citizen = make_user("citizen", "13800001111")
    with unit_of_work():
        rows = service.notify("test_message", now=NOW, user=citizen, channels=("inapp", "sms", "email"),
                              context={"label": "YSQ-2026-000001"})
    assert [r.channel for r in rows] == ["inapp", "sms"]  # no email address: no email row
    sms = Notification.query.filter_by(channel="sms").one()
    assert sms.status == "sent" and sms.attempts == 1
    assert [d["address"] for d in delivered(sink)] == ["13800001111"]
    assert deliver(sms.id, NOW) == "skipped"  # the job running twice sends nothing more
    assert len(delivered(sink)) == 1


def test_rolled_back_notification_is_never_delivered(seeded, sink):
    citizen = make_user("citizen", "13800001111")
    with pytest.raises(RuntimeError):
        with unit_of_work():
            service.notify("test_message", now=NOW, user=citizen, channels=("sms",), context={"label": "x"})
            raise RuntimeError("the change failed")
    assert Notification.query.count() == 0 and delivered(sink) == []
    with unit_of_work():
        pass  # a later commit must not run the dropped job either
    assert delivered(sink) == []


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_failures_retry_with_backoff_then_fail_and_can_be_resent(seeded, app, monkeypatch, sink):
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL_ADAPTER", "smtp")
    monkeypatch.setitem(app.config, "SMTP_PORT", _closed_port())
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_SECONDS", (60, 300))
    user = make_user("citizen", "c@x.cn")
    with unit_of_work():
        service.notify("test_message", now=NOW, user=user, channels=("email",), context={"label": "x"})
    n = Notification.query.one()
    assert n.status == "pending" and n.attempts == 1 and "ConnectionRefusedError" in n.last_error
    assert n.next_attempt_at == NOW + timedelta(seconds=60)
    assert flush_outbox(NOW + timedelta(seconds=30))["dispatched"] == 0  # not due yet
    flush_outbox(NOW + timedelta(seconds=61))
    n = Notification.query.one()
    assert n.attempts == 2 and n.next_attempt_at == NOW + timedelta(seconds=61 + 300)
    flush_outbox(NOW + timedelta(seconds=400))
    n = Notification.query.one()
    assert n.status == "failed" and n.attempts == 3 and n.next_attempt_at is None
    assert flush_outbox(NOW + timedelta(days=1))["dispatched"] == 0
    # Staff fix the mail server and resend.
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL_ADAPTER", "file")
    admin = make_user("admin", "admin@x.cn")
    service.resend(n, now=NOW + timedelta(days=1), actor=admin)
    n = Notification.query.one()
    assert n.status == "sent" and [d["address"] for d in delivered(sink)] == ["c@x.cn"]


def test_stale_claims_are_reclaimed(seeded, app, sink):
    user = make_user("citizen", "13800001111")
    with unit_of_work():
        n = service.notify("test_message", now=NOW, user=user, channels=("sms",), context={"label": "x"})[0]
        n.status = "pending"
    from core.extensions import db
    with unit_of_work():
        db.session.get(Notification, n.id).status = "sending"  # a worker claimed it, then died
        db.session.get(Notification, n.id).claimed_at = NOW
    timeout = app.config["NOTIFY_SENDING_TIMEOUT"]
    assert flush_outbox(NOW + timedelta(seconds=timeout - 1))["reclaimed"] == 0
    assert flush_outbox(NOW + timedelta(seconds=timeout + 1)) == {"reclaimed": 1, "dispatched": 1}
    assert Notification.query.one().status == "sent"


def test_every_template_renders_in_chinese():
    ctx = {"label": "YSQ-2026-000123", "clock_name": "答复期限", "due": "2026年10月30日", "department": "民政局",
           "year": 2027, "detail": "请写明文号", "kind": "政府信息公开申请", "master": "RX-2026-000001",
           "code": "123456", "minutes": 15, "amount": "130.00", "basis": "《政府信息公开信息处理费管理办法》",
           "method": "按量计收", "standard": "31—100页的部分，10元/页",
           "link": "https://gk.example.gov.cn/requests/new?handoff=abc", "days": 30, "count": 3,
           "at": "2026年12月16日 10:00", "hours": 24, "by_department": "民政局 3 件", "shown": 3, "items": "1. YSQ-1",
           "requester": "张三", "result": "已批准", "author": "李四", "outcome": "予以公开", "approver": "王五",
           "note": "请补充依据", "record": "出生日期", "confirm_by": "2026年11月23日", "received": "2026年11月20日",
           "on": "2026年11月20日", "resolved": "未解决", "callers": 4, "grown": "（本次新增 1 件）",
           "token": "[RX-2026-000001#0123456789]", "text": "已转交核查"}
    for event in TEMPLATES:
        subject, body = render(event, ctx)
        assert subject.startswith("【") and body
    with pytest.raises(Exception):
        render("reply", {"label": "x"})  # a missing value is an error, not a broken message


def test_inbox_bell_and_read_marks(client, seeded):
    me = make_user("staff", "s@x.cn", department="mzj")
    other = make_user("staff", "o@x.cn", department="mzj")
    with unit_of_work():
        for i in range(3):
            service.notify("test_message", now=NOW, user=me, context={"label": f"<b>{i}</b>"})
        theirs = service.notify("test_message", now=NOW, user=other, context={"label": "theirs"})[0]
    login(client, "s@x.cn")
    home = client.get("/").get_data(as_text=True)
    assert 'aria-label="通知：3 条未读"' in home
    page = client.get("/notifications/").get_data(as_text=True)
    assert "&lt;b&gt;0&lt;/b&gt;" in page and "theirs" not in page
    resp = client.post(f"/notifications/{theirs.id}/read", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 404
    client.post("/notifications/read-all", data={"csrf_token": csrf_from(page)})
    assert service.unread_count(me) == 0 and service.unread_count(other) == 1


def test_smtp_adapter_against_a_real_smtp_server(seeded, app, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = _closed_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "NOTIFY_EMAIL_ADAPTER", "smtp")
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        user = make_user("citizen", "c@x.cn")
        with unit_of_work():
            service.notify("correction_notice", now=NOW, user=user, channels=("email",),
                           context={"label": "YSQ-2026-000123", "detail": "请写明文件名称", "due": "2026年12月4日"})
    finally:
        controller.stop()
    assert len(received) == 1
    msg = received[0]
    assert msg["To"] == "c@x.cn" and "notification-" in msg["Message-ID"]
    from email.header import decode_header, make_header
    assert "补正通知" in str(make_header(decode_header(msg["Subject"])))
    assert "请写明文件名称" in msg.get_payload(decode=True).decode()
    assert Notification.query.one().status == "sent"


def test_file_sink_hands_over_each_notification_once(tmp_path):
    """A retried hand-over after a worker died (claimed, written, not yet marked sent) is no second message."""
    from types import SimpleNamespace

    from core.notifications.channels import FileAdapter
    sink = tmp_path / "sink.jsonl"
    adapter = FileAdapter(str(sink))
    n7, n70 = (SimpleNamespace(id=i, channel="sms", address="13800001111", subject="", body="已受理") for i in (7, 70))
    adapter.send(n70)
    adapter.send(n7)
    adapter.send(n7)  # the retry
    assert [line.split(",")[0] for line in sink.read_text().splitlines()] == ['{"id": 70', '{"id": 7']


def test_the_batch_renderer_writes_what_render_writes():
    """The sweep's renderer fills the varying label into texts rendered once; it must say exactly what render says,
    the label set in as a clause (its own full stop dropped) like every other value."""
    for event in ("clock_due_soon", "clock_overdue", "fee_notice", "correction_notice"):
        text_of = renderer(event)
        for label in ("YSQ-2026-000001", "带句号的标题。", "  前后空格；", "100%", "x" * 300):
            ctx = {"label": label, "clock_name": "答复期限", "due": "2026年12月1日", "department": "民政局。",
                   "amount": 30, "basis": "办法", "method": "按件", "standard": "%s 元", "detail": date(2026, 12, 1)}
            assert text_of(ctx) == render(event, ctx)
    with pytest.raises(KeyError):
        renderer("no_such_event")


class Peeking:
    """An SMS gateway that records, at each send, what the outbox says of the rows sent before (read in a
    connection of its own, as another process would)."""
    seen: list = []

    def send(self, notification):
        from core.extensions import db
        with db.engine.connect() as c:
            Peeking.seen.append((notification.id, dict(c.exec_driver_sql(
                "SELECT id, status FROM notifications WHERE channel = 'sms'").all())))
        if notification.address == "13800000000":
            raise ConnectionError("gateway refused the number")


def test_one_job_claims_its_rows_together_and_records_each_outcome_before_the_next_send(seeded, app, monkeypatch):
    from core.notifications.delivery import deliver_all
    monkeypatch.setitem(app.config, "NOTIFY_SMS_ADAPTER", "tests.core.test_notifications:Peeking")
    monkeypatch.setitem(app.config, "NOTIFY_RETRY_SECONDS", (60,))
    monkeypatch.setattr(Peeking, "seen", [])
    # written without the after-commit delivery, as rows a worker finds in its job
    rows = [Notification(created_at=NOW, event="test_message", channel="sms", address=a, subject="s", body="b",
                         status=status, attempts=0, next_attempt_at=NOW)
            for a, status in (("13800001111", "pending"), ("13800000000", "pending"), ("13800002222", "sent"),
                              ("13800003333", "pending"))]
    with unit_of_work() as session:
        session.add_all(rows)
    ids = [r.id for r in rows]
    # the outcome of each id in the order given; the sent row is not claimed again, an unknown id is skipped
    assert deliver_all([ids[3], ids[2], ids[1], ids[0], 10**9], NOW) == ["sent", "skipped", "retry", "sent",
                                                                          "skipped"]
    # sent in id order, each outcome committed before the next send: a slow gateway never leaves a sent row
    # claimed as unsent
    assert [(i, {k: v for k, v in seen.items() if k in ids}) for i, seen in Peeking.seen] == [
        (ids[0], {ids[0]: "sending", ids[1]: "sending", ids[2]: "sent", ids[3]: "sending"}),
        (ids[1], {ids[0]: "sent", ids[1]: "sending", ids[2]: "sent", ids[3]: "sending"}),
        (ids[3], {ids[0]: "sent", ids[1]: "pending", ids[2]: "sent", ids[3]: "sending"})]
    after = {n.id: n for n in Notification.query.filter(Notification.id.in_(ids))}
    assert [(after[i].status, after[i].attempts) for i in ids] == [("sent", 1), ("pending", 1), ("sent", 0),
                                                                    ("sent", 1)]
    assert after[ids[1]].next_attempt_at == NOW + timedelta(seconds=60)
    assert after[ids[1]].last_error == "ConnectionError: gateway refused the number"
    assert deliver_all(ids, NOW) == ["skipped", "skipped", "skipped", "skipped"]  # the retry is not due yet


class FlushedMeanwhile:
    """An SMS gateway so slow at the first send that the per-minute outbox flush runs meanwhile (in a process of
    its own, as the scheduler would), past NOTIFY_SENDING_TIMEOUT after the job's `now`: it takes back every claim
    of the job as a dead worker's and delivers those rows again."""
    sent: list = []
    app = None
    flush_at = None

    def send(self, notification):
        FlushedMeanwhile.sent.append(notification.id)
        if len(FlushedMeanwhile.sent) == 1:
            def scheduler():
                with FlushedMeanwhile.app.app_context():
                    flush_outbox(FlushedMeanwhile.flush_at)
            other = threading.Thread(target=scheduler)
            other.start()
            other.join()


def test_a_claim_taken_back_by_the_flush_before_its_send_is_not_sent_by_the_job_too(seeded, app, monkeypatch):
    from core.db import utcnow
    from core.extensions import db
    from core.notifications.delivery import deliver_all
    timeout = timedelta(seconds=app.config["NOTIFY_SENDING_TIMEOUT"])
    enqueued = utcnow() - timeout - timedelta(minutes=1)  # a job that starts late (a queue that backed up)
    monkeypatch.setitem(app.config, "NOTIFY_SMS_ADAPTER", "tests.core.test_notifications:FlushedMeanwhile")
    monkeypatch.setattr(FlushedMeanwhile, "sent", [])
    monkeypatch.setattr(FlushedMeanwhile, "app", app)
    monkeypatch.setattr(FlushedMeanwhile, "flush_at", utcnow())
    rows = [Notification(created_at=enqueued, event="test_message", channel="sms", address=a, subject="s",
                         body="b", status="pending", attempts=0, next_attempt_at=enqueued)
            for a in ("13800001111", "13800002222", "13800003333")]
    with unit_of_work() as session:
        session.add_all(rows)
    ids = [r.id for r in rows]
    # The first row was being handed over when its claim was taken back: sent twice, as before one job claimed
    # several (the gateway's idempotency key, the notification id, is for that). The others had not been handed
    # over: the flush's jobs sent them, this job leaves them.
    assert deliver_all(ids, enqueued) == ["sent", "skipped", "skipped"]
    assert sorted(FlushedMeanwhile.sent) == sorted([ids[0], *ids])
    db.session.expire_all()
    assert [(n.status, n.attempts) for n in Notification.query.filter(Notification.id.in_(ids))
            .order_by(Notification.id)] == [("sent", 2)] * 3
