"""The public log's pages, permalinks, feeds and JSON API (public, masked text only)."""
import xml.etree.ElementTree as ET
from datetime import date

from public_log import review
from tests.conftest import at
from tests.public_log.helpers import publish, queue, reviewer

ATOM = "{http://www.w3.org/2005/Atom}"


def test_browse_newest_first_with_filters(client, seeded):
    publish("低保申请条件", "咨询低保", "向镇街申请。", replied_on=date(2026, 10, 9))
    publish("道路积水", "积水严重", "已疏通。", dept="zjj", type_code="complaint", replied_on=date(2026, 11, 5))
    queue("未审查的答复", "x", "y")
    html = client.get("/log/").get_data(as_text=True)
    assert html.index("道路积水") < html.index("低保申请条件") and "未审查的答复" not in html
    assert "共 2 条公开答复" in html
    html = client.get("/log/?department=zjj").get_data(as_text=True)
    assert "道路积水" in html and "低保申请条件" not in html
    html = client.get("/log/?kind=nonsense").get_data(as_text=True)
    assert "类别只能是" in html and "低保申请条件" in html  # bad filter explained and ignored


def test_department_filter_lists_departments_with_published_records(client, seeded):
    from public_log.queries import departments_with_records
    publish("低保申请条件", "咨询低保", "向镇街申请。", dept="mzj")
    publish("道路积水", "积水严重", "已疏通。", dept="zjj")
    publish("楼道照明", "路灯不亮", "已修复。", dept="zjj")
    queue("未审查的答复", "x", "y", dept="jyj")  # pending only: not offered
    assert [d.code for d in departments_with_records()] == ["mzj", "zjj"]
    html = client.get("/log/").get_data(as_text=True)
    assert '<option value="mzj"' in html and '<option value="zjj"' in html and '<option value="jyj"' not in html


def test_search_highlights_and_escapes(client, seeded):
    publish("低保<script>alert(1)</script>标准", "咨询城市低保标准", "城市低保标准为每人每月900元。")
    html = client.get("/log/?q=低保").get_data(as_text=True)
    assert "<mark>低保</mark>" in html and "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "“低保”共找到 1 条答复" in html


def test_empty_search_suggests(client, seeded):
    publish("低保申请条件", "咨询低保", "向镇街申请。", replied_on=date(2026, 10, 9))
    html = client.get("/log/?q=低保&kind=disclosure").get_data(as_text=True)
    assert "不限筛选条件搜索“低保”" in html and "（1 条）" in html
    html = client.get("/log/?q=低保 火星").get_data(as_text=True)
    assert "只搜“低保”" in html
    html = client.get("/log/?q=最低生活保障金的发放").get_data(as_text=True)  # no hit: the department that handles it
    assert "浏览民政局的公开答复" in html
    html = client.get('/log/?q="未闭合').get_data(as_text=True)
    assert "引号没有成对" in html


def test_pagination(client, seeded):
    for day in range(1, 24):
        publish(f"噪声扰民{day:02d}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day))
    first = client.get("/log/?q=噪声").get_data(as_text=True)
    second = client.get("/log/?q=噪声&page=2").get_data(as_text=True)
    assert "第 1 / 2 页" in first and "page=2" in first
    assert second.count("<mark>噪声</mark>扰民") == 3 and "扰民01" in second  # the oldest on the last page
    assert client.get("/log/?page=abc").status_code == 200


def test_permalinks(client, seeded):
    record = publish("低保申请条件", "咨询低保", "向镇街申请。")
    pending = queue("待审", "x", "y")
    page = client.get(f"/log/{record.public_id}")
    assert page.status_code == 200 and "向镇街申请。" in page.get_data(as_text=True)
    assert client.get(f"/log/{pending.public_id}").status_code == 404
    assert client.get("/log/GK-2026-999999").status_code == 404
    review.withdraw(record, reason="误发", now=at(2026, 11, 20, 9), actor=reviewer())
    gone = client.get(f"/log/{record.public_id}")
    assert gone.status_code == 410 and "已撤回" in gone.get_data(as_text=True)
    assert "误发" not in gone.get_data(as_text=True) and "向镇街申请" not in gone.get_data(as_text=True)


def test_correction_is_shown(client, seeded):
    record = publish("道路积水", "积水严重", "已安排养护单位疏通。")
    review.correct(record, reply_text="已安排排水公司疏通。", note="更正答复单位", now=at(2026, 11, 20, 9),
                   actor=reviewer())
    html = client.get(f"/log/{record.public_id}").get_data(as_text=True)
    assert "已安排排水公司疏通。" in html and "养护单位" not in html and "更正答复单位" in html


def test_atom_feeds(client, seeded):
    publish("低保申请条件", "咨询低保", "向镇街申请。", replied_on=date(2026, 10, 9))
    publish("道路积水", "积水严重", "已疏通。", dept="zjj", replied_on=date(2026, 11, 5))
    resp = client.get("/log/feed.atom")
    assert resp.mimetype == "application/atom+xml"
    feed = ET.fromstring(resp.data)
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["道路积水", "低保申请条件"]
    dep = ET.fromstring(client.get("/log/departments/zjj/feed.atom").data)
    assert [e.findtext(f"{ATOM}title") for e in dep.iter(f"{ATOM}entry")] == ["道路积水"]
    assert client.get("/log/departments/nope/feed.atom").status_code == 404


def test_json_api(client, seeded):
    publish("低保申请条件", "咨询低保", "低保向镇街申请。", replied_on=date(2026, 10, 9))
    publish("道路积水", "积水严重", "已疏通。", dept="zjj", replied_on=date(2026, 11, 5))
    body = client.get("/api/v1/log?q=低保").get_json()
    assert body["total"] == 1 and body["items"][0]["title"] == "低保申请条件"
    assert "低保" in body["items"][0]["snippet"] and body["items"][0]["department"] == "mzj"
    one = client.get(f"/api/v1/log/{body['items'][0]['public_id']}").get_json()
    assert one["reply_text"] == "低保向镇街申请。"
    assert set(one).isdisjoint({"original_reply", "author_id", "reviewer_id", "known", "maskings"})
    browse = client.get("/api/v1/log?per_page=1").get_json()
    assert browse["total"] == 2 and browse["pages"] == 2 and browse["items"][0]["title"] == "道路积水"
    bad = client.get("/api/v1/log?from=2026-13-01")
    assert bad.status_code == 400 and bad.get_json()["fields"] == {"from": "不存在的日期 “2026-13-01”"}
    assert client.get("/api/v1/log?per_page=1000").status_code == 400
    empty = client.get("/api/v1/log?q=低保&department=zjj").get_json()
    assert empty["total"] == 0 and empty["suggestions"][0]["params"] == {"q": "低保"}


def test_broad_search_says_it_shows_the_newest_window(client, seeded, monkeypatch):
    from public_log import search
    monkeypatch.setattr(search, "WINDOW", 2)
    for day in (1, 2, 3):
        publish(f"噪声{day}", "夜间施工噪声", "已责令停工。", replied_on=date(2026, 10, day))
    html = client.get("/log/?q=噪声").get_data(as_text=True)
    assert "共找到 超过 2 条答复" in html and "最新的 2 条" in html and "噪声1" not in html
    body = client.get("/api/v1/log?q=噪声").get_json()
    assert body["total"] == 2 and body["total_is_lower_bound"] is True


def test_failed_search_says_so_and_lists_the_newest(client, seeded, monkeypatch):
    import sqlalchemy as sa

    from core.extensions import db
    from public_log import search
    publish("低保申请条件", "咨询低保", "向镇街申请。")

    class Broken:
        """A backend whose index is gone: the database refuses the query."""
        name = "broken"
        def newest_id(self, filters):
            return 0
        def ranked_page(self, stmt, parsed, window, newest, lexemes, start, per_page):
            return db.session.execute(stmt.where(sa.text("no_such_index_table.x = 1"))).all()
    monkeypatch.setattr(search, "backend", Broken)
    html = client.get("/log/?q=低保").get_data(as_text=True)
    assert "搜索暂时出现故障" in html and "低保申请条件" in html
    assert client.get("/api/v1/log?q=低保").get_json()["search_failed"] is True
