"""Saved queue filters (issue 18 item 13; core/saved_filters.py): per user, never shared; stored as the queue's
checked parameters and checked again when the link is built; named, listed above the queue, deleted."""
import json

import pytest

from core import saved_filters
from core.errors import ValidationError
from core.extensions import db
from core.saved_filters import SavedFilter
from tests.conftest import at, csrf_from, login, make_user

NOW = at(2026, 11, 20, 10)


def test_save_checks_the_parameters_and_the_name(app, seeded):
    user = make_user("staff", "s@x.cn", department="mzj")
    with app.test_request_context():
        row = saved_filters.save(user, queue="disclosure", name=" 超期 ",
                                 params={"urgency": "overdue", "status": "bogus", "evil": "<script>"}, now=NOW)
        assert row.name == "超期" and json.loads(row.params) == {"urgency": "overdue"}
        with pytest.raises(ValidationError, match="已有名为"):
            saved_filters.save(user, queue="disclosure", name="超期", params={"urgency": "due_soon"}, now=NOW)
        with pytest.raises(ValidationError, match="起个名字"):
            saved_filters.save(user, queue="disclosure", name="  ", params={"urgency": "overdue"}, now=NOW)
        with pytest.raises(ValidationError, match="没有筛选条件"):
            saved_filters.save(user, queue="disclosure", name="空", params={"status": "bogus"}, now=NOW)
        with pytest.raises(ValidationError, match="没有这个队列"):
            saved_filters.save(user, queue="nope", name="x", params={"urgency": "overdue"}, now=NOW)
        # a stored value the queue no longer takes is dropped when the link is built
        row.params = json.dumps({"urgency": "overdue", "status": "gone"})
        db.session.commit()
        assert saved_filters.for_queue(user, "disclosure") == [(row, "/requests/staff/?urgency=overdue")]


def test_the_bar_saves_lists_and_deletes_per_user(app, client, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    other = make_user("staff", "t@x.cn", department="mzj")
    login(client, "s@x.cn")
    html = client.get("/requests/staff/?urgency=overdue&status=assigned").get_data(as_text=True)
    assert "把当前筛选保存为" in html and "还没有保存的筛选条件" in html
    token = csrf_from(html)
    r = client.post("/saved-filters/", data={"csrf_token": token, "queue": "disclosure", "name": "我的<b>超期</b>",
                                            "param_urgency": "overdue", "param_status": "assigned"})
    assert r.status_code == 302 and r.headers["Location"].startswith("/requests/staff/?")
    html = client.get("/requests/staff/").get_data(as_text=True)
    assert "我的&lt;b&gt;超期&lt;/b&gt;" in html and "<b>超期" not in html
    assert "把当前筛选保存为" not in html  # no filter now: nothing to save
    row = SavedFilter.query.one()
    assert 'href="/requests/staff/?' in html and "urgency=overdue" in html
    # a refused name comes back typed
    r = client.post("/saved-filters/", data={"csrf_token": token, "queue": "disclosure", "name": "我的<b>超期</b>",
                                            "param_urgency": "overdue"}, follow_redirects=True)
    assert "已有名为" in r.get_data(as_text=True) and 'value="我的&lt;b&gt;超期&lt;/b&gt;"' in r.get_data(as_text=True)
    # never shared: another user neither sees nor deletes it
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, "t@x.cn")
    html = client.get("/requests/staff/").get_data(as_text=True)
    assert "超期</a>" not in html and "我的&lt;b&gt;" not in html
    assert client.post(f"/saved-filters/{row.id}/delete", data={"csrf_token": csrf_from(html)}).status_code == 404
    assert db.session.get(SavedFilter, row.id) is not None and other.id != row.user_id
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    login(client, "s@x.cn")
    html = client.get("/requests/staff/").get_data(as_text=True)
    assert client.post(f"/saved-filters/{row.id}/delete", data={"csrf_token": csrf_from(html)}).status_code == 302
    assert SavedFilter.query.count() == 0


def test_the_corrections_queue_has_the_bar_and_citizens_cannot_save(app, client, seeded):
    make_user("staff", "s@x.cn", department="mzj")
    login(client, "s@x.cn")
    html = client.get("/corrections/staff/?closed=1").get_data(as_text=True)
    assert "把当前筛选保存为" in html
    r = client.post("/saved-filters/", data={"csrf_token": csrf_from(html), "queue": "corrections", "name": "已答复",
                                            "param_closed": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith("closed=1")
    assert "已答复</a>" in client.get("/corrections/staff/").get_data(as_text=True)
    assert client.post("/saved-filters/", data={"csrf_token": csrf_from(html), "queue": "nope",
                                               "name": "x"}).status_code == 404
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    make_user("citizen", "c@x.cn")
    login(client, "c@x.cn")
    token = csrf_from(client.get("/").get_data(as_text=True))
    r = client.post("/saved-filters/", data={"csrf_token": token, "queue": "disclosure", "name": "x",
                                            "param_urgency": "overdue"})
    assert r.status_code == 403 and SavedFilter.query.count() == 1


def test_the_hotline_queues_filter_and_save(app, client, seeded):
    from hotline import intake
    from hotline.seed import seed_categories
    seed_categories()
    for kind, content in (("complaint", "夜间施工噪声"), ("inquiry", "咨询低保政策")):
        intake.create_ticket({"type": kind, "category_code": "030101", "caller_phone": "13800001111",
                              "content": content, "address": "亭湖区某路"}, channel="phone", received_at=NOW,
                             now=NOW, actor="op")
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    html = client.get("/hotline/dispatch?type=complaint&type_bogus=1").get_data(as_text=True)
    assert "夜间施工噪声" in html and "咨询低保政策" not in html and "把当前筛选保存为" in html
    r = client.post("/saved-filters/", data={"csrf_token": csrf_from(html), "queue": "hotline_dispatch",
                                            "name": "投诉", "param_type": "complaint"})
    assert r.status_code == 302 and r.headers["Location"] == "/hotline/dispatch?type=complaint"
    html = client.get("/hotline/dispatch").get_data(as_text=True)
    assert 'href="/hotline/dispatch?type=complaint">投诉</a>' in html and "咨询低保政策" in html
    assert "咨询低保政策" in client.get("/hotline/dispatch?type=nope").get_data(as_text=True)  # bad value: dropped
    make_user("staff", "s@x.cn", department="sthjj")
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    login(client, "s@x.cn")
    html = client.get("/hotline/queue?urgency=overdue").get_data(as_text=True)
    assert "把当前筛选保存为" in html and "投诉</a>" not in html


@pytest.mark.parametrize(("role", "queue", "status"), [
    ("operator", "disclosure", 403), ("operator", "corrections", 403), ("operator", "hotline_queue", 403),
    ("operator", "hotline_dispatch", 302), ("staff", "hotline_dispatch", 403), ("staff", "hotline_queue", 302),
    ("staff", "disclosure", 302),
])
def test_a_filter_is_saved_only_for_a_queue_one_can_open(app, client, seeded, role, queue, status):
    """The queue's own role rule: a hotline operator cannot save a filter of the disclosure queue (nor a department
    clerk one of the dispatch queue): 403, as the queue page itself answers, and nothing is stored."""
    from core.errors import NotTheirs

    user = make_user(role, "q@x.cn", department="mzj" if role == "staff" else None)
    login(client, "q@x.cn")
    endpoint = saved_filters.QUEUES[queue].endpoint
    with app.test_request_context():
        from flask import url_for
        url = url_for(endpoint)
    assert client.get(url).status_code == (200 if status == 302 else 403)
    params = {"urgency": "overdue"} if queue == "disclosure" else {"closed": "1"} if queue == "corrections" else {}
    if not params:
        params = {"type": "complaint"}
    token = csrf_from(client.get("/").get_data(as_text=True))
    r = client.post("/saved-filters/", data={"csrf_token": token, "queue": queue, "name": "我的",
                                             **{f"param_{k}": v for k, v in params.items()}})
    assert r.status_code == status
    if status == 403:
        assert SavedFilter.query.count() == 0
        with app.test_request_context(), pytest.raises(NotTheirs):
            saved_filters.save(user, queue=queue, name="我的", params=params, now=NOW)
