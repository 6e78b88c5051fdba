"""The tickets API: a call through dispatch, sign, reply and callback; errors; department scope;
confidential caller data."""

from tests.conftest import at

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "夜间施工噪声", "received_at": "2026-09-30T16:00:00+08:00"}


def test_call_to_callback_through_the_api(api):
    op = api("operator", login="op@x.cn")
    staff = api("staff", "sthjj", login="s@x.cn")
    r = op.post("/tickets", CALL, now=at(2026, 9, 30, 16, 2))
    assert r.status_code == 201, r.get_json()
    t = r.get_json()
    assert t["status"] == "new" and t["due_at"] == "2026-10-08T01:00:00+00:00"  # 09:00 Shanghai
    r = op.post(f"/tickets/{t['id']}/dispatch", {"department": "sthjj", "at": "2026-09-30T16:45:00+08:00"},
                now=at(2026, 9, 30, 16, 46))
    assert r.get_json()["due_at"] == "2026-10-08T01:45:00+00:00"  # sign-for: 10/8 09:45
    r = staff.post(f"/tickets/{t['id']}/sign", {"at": "2026-10-08T09:30:00+08:00"}, now=at(2026, 10, 8, 9, 31))
    sign = [c for c in r.get_json()["clocks"] if c["name"] == "sign_for"][0]
    assert sign["on_time"] is True
    r = staff.post(f"/tickets/{t['id']}/reply", {"text": "已处理", "at": "2026-10-09T10:00:00+08:00"},
                   now=at(2026, 10, 9, 10, 1))
    assert r.get_json()["status"] == "replied"
    r = op.post(f"/tickets/{t['id']}/callback", {"reached": True, "resolved": True, "satisfaction": "satisfied",
                                                 "at": "2026-10-09T15:00:00+08:00"}, now=at(2026, 10, 9, 15, 1))
    body = r.get_json()
    assert body["status"] == "closed" and [c["on_time"] for c in body["clocks"]
                                           if c["name"] != "first_contact"] == [True, True, True, True]
    # no first contact recorded: the reply stopped that clock (due 10/8 16:45, one working day after dispatch)
    assert [c["on_time"] for c in body["clocks"] if c["name"] == "first_contact"] == [False]


def test_errors_and_conflicts(api):
    op = api("operator", login="op@x.cn")
    r = op.post("/tickets", {**CALL, "type": "rant", "received_at": "yesterday"})
    assert r.status_code == 400 and set(r.get_json()["fields"]) == {"type", "received_at"}  # every bad field named
    r = op.post("/tickets", {**CALL, "type": "rant"})
    assert r.status_code == 400 and "type" in r.get_json()["fields"]
    tid = op.post("/tickets", CALL).get_json()["id"]
    r = op.post(f"/tickets/{tid}/reply", {"text": "x"})
    assert r.status_code == 403  # replying is the department's work, never the operator's
    r = api("supervisor", login="sup@x.cn").post(f"/tickets/{tid}/reply", {"text": "x"})
    assert r.status_code == 409 and r.get_json()["error"] == "conflict"  # allowed, but not before signing
    r = op.post(f"/tickets/{tid}/dispatch", {"department": "nope"})
    assert r.status_code == 400 and r.get_json()["fields"] == {"department": "没有代码为 'nope' 的部门"}
    r = op.post(f"/tickets/{tid}/dispatch", {"department": "sthjj", "at": "2999-01-01T00:00:00+08:00"})
    assert r.status_code == 400 and "at" in r.get_json()["fields"]


def test_department_scope_and_confidential_callers(api):
    op = api("operator", login="op@x.cn")
    hbj = api("staff", "sthjj", login="hbj@x.cn")
    zjj = api("staff", "zjj", login="zjj@x.cn")
    tid = op.post("/tickets", {**CALL, "confidential": True}).get_json()["id"]
    assert op.get(f"/tickets/{tid}").get_json()["caller"]["phone"] == "13800001111"
    op.post(f"/tickets/{tid}/dispatch", {"department": "sthjj", "co_departments": ["zjj"],
                                         "at": "2026-09-30T16:45:00+08:00"})
    seen = hbj.get(f"/tickets/{tid}").get_json()
    assert seen["caller"] is None and "13800001111" not in str(seen)  # 保密: hidden from the department
    assert zjj.get(f"/tickets/{tid}").status_code == 200  # co-handler sees it
    assert zjj.post(f"/tickets/{tid}/sign", {}).status_code == 403  # but only the lead signs
    other = api("staff", "mzj", login="mzj@x.cn")
    assert other.get(f"/tickets/{tid}").status_code == 404
    assert other.get("/tickets").get_json()["items"] == []
    assert hbj.post("/tickets", CALL).status_code == 403  # departments do not log calls
    assert hbj.post(f"/tickets/{tid}/dispatch", {"department": "mzj"}).status_code == 403


def test_type_messages_are_set_as_chinese_text(api):
    """A space between Chinese and Latin words, none between Chinese ones."""
    op = api("operator", login="op@x.cn")
    r = op.post("/tickets", {**CALL, "anonymous": "yes", "lat": "north"})
    assert r.status_code == 400
    fields = r.get_json()["fields"]
    assert fields["anonymous"] == "应为 true 或 false" and fields["lat"] == "应为数字"


def test_a_refused_sign_off_says_who_may_sign_off(api):
    """The staff member who drafted the reply sees the ticket but may not sign it off: 403 with the reason
    (hotline/access.py signoff_refusal), as the disclosure side's NotTheirs."""
    from core.departments.models import Department
    from core.extensions import db
    db.session.execute(db.update(Department).where(Department.code == "sthjj").values(requires_signoff=True))
    db.session.commit()
    op = api("operator", login="op@x.cn")
    staff = api("staff", "sthjj", login="s@x.cn")
    tid = op.post("/tickets", CALL, now=at(2026, 9, 30, 16, 2)).get_json()["id"]
    op.post(f"/tickets/{tid}/dispatch", {"department": "sthjj"}, now=at(2026, 9, 30, 16, 46))
    staff.post(f"/tickets/{tid}/sign", {}, now=at(2026, 10, 8, 9, 31))
    assert staff.post(f"/tickets/{tid}/reply", {"text": "已处理"}, now=at(2026, 10, 9, 10)).get_json()["status"] == \
        "awaiting_signoff"
    r = staff.post(f"/tickets/{tid}/sign-off", {"approve": True}, now=at(2026, 10, 9, 11))
    assert r.status_code == 403 and r.get_json()["error"] == "forbidden"
    assert r.get_json()["message"] == "本工单的答复须由生态环境局的负责人（审批人）或督办人员签发"
    r = api("approver", "sthjj", login="a@x.cn").post(f"/tickets/{tid}/sign-off", {"approve": True},
                                                       now=at(2026, 10, 9, 12))
    assert r.status_code == 200 and r.get_json()["status"] == "replied"
