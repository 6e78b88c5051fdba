"""保密审查 pages and API: side by side, edit, confirm, refuse, withdraw, correct; never the author."""
from core.extensions import db
from public_log.models import PublicRecord
from tests.conftest import csrf_from, login, make_user
from tests.public_log.helpers import publish, queue


def _pending(author=None):
    return queue("王五咨询低保", "王五，电话13911112222，咨询低保", "王五您好：低保向镇街申请。", names=["王五"],
                 phones=["13911112222"], author=author)


def test_reviewer_sees_original_beside_masked_and_publishes_with_edits(client, as_role):
    record = _pending()
    as_role("approver", "mzj")
    assert record.public_id in client.get("/log/review/").get_data(as_text=True)
    html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
    assert "13911112222" in html and "139****2222" in html and "王*" in html  # original beside masked
    assert "手机号" in html and "第" in html  # every masking with where and why
    token = csrf_from(html)
    # without the confirmation nothing is published and the edit is kept on the page
    resp = client.post(f"/log/review/{record.id}/approve", data={
        "csrf_token": token, "title": record.title, "request_text": record.request_text,
        "reply_text": "您好：低保向户籍地镇街申请，王五可致电13911112222。"})
    assert resp.status_code == 400 and "请确认已核对" in resp.get_data(as_text=True)
    assert "向户籍地镇街申请" in resp.get_data(as_text=True)
    assert db.session.get(PublicRecord, record.id).status == "pending"
    resp = client.post(f"/log/review/{record.id}/approve", data={
        "csrf_token": token, "title": record.title, "request_text": record.request_text,
        "reply_text": "您好：低保向户籍地镇街申请，王五可致电13911112222。", "confirm": "yes"})
    # masking changed the edit: it is saved masked and shown again, not published unseen
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "请再次核对" in html and "王*可致电139****2222" in html
    assert db.session.get(PublicRecord, record.id).status == "pending"
    resp = client.post(f"/log/review/{record.id}/approve", data={
        "csrf_token": token, "title": record.title, "request_text": record.request_text,
        "reply_text": "您好：低保向户籍地镇街申请，王*可致电139****2222。", "confirm": "yes"})
    assert resp.status_code == 302
    published = db.session.get(PublicRecord, record.id)
    assert published.status == "published" and published.reply_text == "您好：低保向户籍地镇街申请，王*可致电139****2222。"
    found = client.get("/log/?q=户籍地").get_data(as_text=True)
    assert "共找到 1 条答复" in found and f"/log/{published.public_id}" in found


def test_author_and_other_departments_cannot_review(client, seeded):
    author = make_user("approver", "author@x.cn", department="mzj")
    record = _pending(author=author)
    login(client, "author@x.cn")
    assert record.public_id not in client.get("/log/review/").get_data(as_text=True)
    html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
    assert "不能审查" in html
    resp = client.post(f"/log/review/{record.id}/approve", data={"csrf_token": csrf_from(html), "confirm": "yes"})
    assert resp.status_code == 409 and db.session.get(PublicRecord, record.id).status == "pending"
    client.post("/auth/logout", data={"csrf_token": csrf_from(html)})
    make_user("approver", "other@x.cn", department="zjj")
    login(client, "other@x.cn")
    assert client.get(f"/log/review/{record.id}").status_code == 404


def test_refuse_needs_a_reason(client, as_role):
    record = _pending()
    as_role("supervisor")
    token = csrf_from(client.get(f"/log/review/{record.id}").get_data(as_text=True))
    resp = client.post(f"/log/review/{record.id}/refuse", data={"csrf_token": token, "reason": " "})
    assert resp.status_code == 400 and "请写明不予公开的理由" in resp.get_data(as_text=True)
    client.post(f"/log/review/{record.id}/refuse", data={"csrf_token": token, "reason": "涉及第三方隐私"})
    assert db.session.get(PublicRecord, record.id).status == "refused"


def test_supervisor_withdraws_and_corrects(client, as_role):
    record = publish("道路积水", "积水严重", "已安排养护单位疏通。")
    as_role("supervisor")
    html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
    token = csrf_from(html)
    resp = client.post(f"/log/review/{record.id}/correct", data={
        "csrf_token": token, "title": record.title, "request_text": record.request_text,
        "reply_text": "已安排排水公司疏通。", "note": "更正答复单位"})
    assert resp.status_code == 302
    assert db.session.get(PublicRecord, record.id).correction_note == "更正答复单位"
    client.post(f"/log/review/{record.id}/withdraw", data={"csrf_token": token, "reason": "重复发布"})
    assert db.session.get(PublicRecord, record.id).status == "withdrawn"
    assert client.get(f"/log/{record.public_id}").status_code == 410


def test_review_api(api_as, seeded):
    record = _pending()
    staff = api_as("staff", "mzj")
    assert staff.get("/publication-reviews").status_code == 403
    approver = api_as("approver", "mzj")
    items = approver.get("/publication-reviews").get_json()["items"]
    assert [i["id"] for i in items] == [record.id]
    assert items[0]["original"]["reply_text"].startswith("王五") and items[0]["public"]["reply_text"].startswith("王*")
    assert items[0]["maskings"][0]["reason"]
    assert approver.post(f"/publication-reviews/{record.id}/approve", {}).get_json()["fields"] == {
        "confirm": "请确认已核对公开文本不含个人信息和保密内容"}
    assert approver.post(f"/publication-reviews/{record.id}/approve", {"reply_text": 5, "confirm": True}
                         ).status_code == 400
    done = approver.post(f"/publication-reviews/{record.id}/approve",
                         {"confirm": True, "reply_text": "您好：请向镇街申请。"})
    assert done.status_code == 200 and done.get_json()["status"] == "published"
    assert done.get_json()["public"]["reply_text"] == "您好：请向镇街申请。"
    again = approver.post(f"/publication-reviews/{record.id}/approve", {"confirm": True})
    assert again.status_code == 409
    other = _pending()
    assert api_as("approver", "zjj", login="z@x.cn").post(f"/publication-reviews/{other.id}/refuse",
                                                          {"reason": "x"}).status_code == 404
    refused = approver.post(f"/publication-reviews/{other.id}/refuse", {"reason": "涉及隐私"})
    assert refused.get_json()["status"] == "refused" and refused.get_json()["refusal_reason"] == "涉及隐私"


def test_the_request_text_is_named_for_its_kind(client, as_role):
    """One wording (issue 18 item 7): a ticket's text is its 诉求内容, an application's its 申请内容 — on the review
    page, in its masking rows and on the public record; never "诉求/申请内容" or "申请/诉求内容"."""
    ticket = _pending()
    application = queue("低保名单", "王五申请公开低保名单", "予以公开。", kind="disclosure", type_code=None,
                        category=None, names=["王五"])
    as_role("approver", "mzj")
    for record, wording in ((ticket, "诉求内容"), (application, "申请内容")):
        html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
        assert f"{wording}（原文，不公开）" in html and f"<td>{wording} 第" in html
        assert "诉求/申请内容" not in html and "申请/诉求内容" not in html
