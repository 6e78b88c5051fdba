"""The hotline citizen's way in (issue 18 item 12): 我的诉求 and the look-up from the landing page, 匿名 vs 保密
explained as the code applies them, and the status page showing what was submitted."""
from hotline import intake
from hotline.caller_view import citizen_label
from tests.conftest import at, login, make_user

CALL = {"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "caller_name": "李四",
        "content": "某工地夜间施工噪声扰民", "address": "亭湖区某路 8 号"}


def ticket(citizen=None, **changes):
    received = at(2026, 11, 16, 11, 0)
    return intake.create_ticket({**CALL, **changes}, channel="web", received_at=received, now=received,
                                actor=citizen or "公众", citizen=citizen)


def test_landing_page_leads_to_mine_and_the_look_up(client, hot):
    html = client.get("/hotline/").get_data(as_text=True)
    assert 'href="/hotline/new"' in html and 'href="/hotline/my/"' in html and 'href="/hotline/lookup"' in html
    assert "需要先登录" in html
    assert client.get("/hotline/lookup").headers["Location"].endswith("/hotline/new#lookup")
    r = client.get("/hotline/my/")
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]  # 我的诉求 asks to log in first


def test_mine_lists_only_the_citizens_own_tickets(app, client, hot):
    me, other = make_user("citizen", "me@x.cn"), make_user("citizen", "other@x.cn")
    mine, theirs = ticket(me), ticket(other, content="另一位市民的诉求")
    ticket(None)
    login(client, "me@x.cn")
    html = client.get("/hotline/").get_data(as_text=True)
    assert "需要先登录" not in html
    html = client.get("/hotline/my/").get_data(as_text=True)
    assert f'href="/hotline/my/{mine.id}"' in html and mine.number in html and citizen_label(mine) in html
    assert theirs.number not in html
    fresh = app.test_client()
    login(fresh, "other@x.cn")
    assert mine.number not in fresh.get("/hotline/my/").get_data(as_text=True)


def test_staff_have_no_mine_page(client, hot):
    make_user("staff", "s@x.cn", department="sthjj")
    login(client, "s@x.cn")
    assert client.get("/hotline/my/").status_code == 403


def test_form_explains_anonymous_and_confidential_as_the_code_does(client, hot):
    html = client.get("/hotline/new").get_data(as_text=True)
    assert 'aria-describedby="anonymous-help"' in html and 'aria-describedby="confidential-help"' in html
    # 匿名: the name is hidden from departments (hotline/queries.caller_for), the phone is not
    assert "承办部门看不到您的姓名，只有 12345 中心的话务员、督办人员和系统管理员能看到；承办部门仍能看到您的手机号" in html
    # 保密: name and phone hidden from departments, never published (hotline/reply.py)
    assert "承办部门看不到您的姓名和手机号" in html and "不在“办理结果公开”中公布" in html


def test_status_page_shows_what_was_submitted_and_the_timeline(app, client, hot):
    me = make_user("citizen", "me@x.cn")
    t = ticket(me, anonymous="y")
    login(client, "me@x.cn")
    html = client.get(f"/hotline/my/{t.id}").get_data(as_text=True)
    for shown in ("某工地夜间施工噪声扰民", "亭湖区某路 8 号", "李四", "尾号 1111", "匿名：承办部门看不到您的姓名",
                  "办理过程", "诉求已受理"):
        assert shown in html, shown
    assert "13800001111" not in html
    t2 = ticket(me, confidential="y", caller_phone="")
    html = client.get(f"/hotline/my/{t2.id}").get_data(as_text=True)
    assert "保密：承办部门看不到您的姓名和手机号" in html and "<dd class=\"col-sm-9\">未填写</dd>" in html
