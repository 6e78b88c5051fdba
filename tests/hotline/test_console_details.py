"""Operator console details (issue 16 item 9): the category field picks instead of saving a half-typed
ticket, knowledge-base answers for 直接办结 on the ticket page (page, htmx list and API, same rule), the
knowledge base linked from the navigation, and 协办部门 as plain checkboxes."""
import pytest

from core.extensions import db
from core.wellformed import NUL_MESSAGE
from hotline import knowledge
from hotline.console_form import matches, read_category
from hotline.models import Category, Ticket
from tests.conftest import at, csrf_from, login, make_user, pinned
from tests.hotline import helpers

NOON = at(2026, 11, 16, 12, 0)


@pytest.fixture
def desk(app, desk):
    """The operator's client (tests/hotline/conftest.py), at NOON."""
    with pinned(app, NOON):
        yield desk


def log_call(client, **changes):
    """An inquiry about 城乡低保 logged at the console."""
    return helpers.log_call(client, **{"type": "inquiry", "content": "城乡低保怎么申请", **changes})


def publish(question, answer, *, valid_from=None, valid_until=None, status="published"):
    staff = make_user("staff", f"kb{Category.query.count()}{knowledge.KnowledgeEntry.query.count()}@x.cn",
                      department="mzj")
    sup = make_user("supervisor", f"sup{knowledge.KnowledgeEntry.query.count()}@x.cn")
    e = knowledge.propose(question=question, answer=answer, now=at(2026, 11, 2, 9, 0), actor=staff,
                          valid_from=valid_from, valid_until=valid_until)
    if status == "published":
        knowledge.set_status(e, "published", now=at(2026, 11, 2, 10, 0), actor=sup)
    return e


# --- the category field ---------------------------------------------------------------------------

def test_matching_codes_prefixes_and_name_fragments(hot):
    leaves = Category.query.filter_by(level=3, active=True).order_by(Category.code).all()
    assert [c.code for c in matches("030101", leaves)] == ["030101"]
    assert [c.code for c in matches("030101 噪声扰民", leaves)] == ["030101"]
    assert [c.code for c in matches("噪声", leaves)] == ["030101"]
    assert [c.code for c in matches("0301", leaves)] == ["030101", "030102", "030103"]
    assert [c.code for c in matches("０３０１０１", leaves)] == ["030101"]  # full-width digits
    assert matches("", leaves) == [] and matches("没有这种分类", leaves) == []
    assert read_category("噪声", leaves).ready is False and read_category("噪声", leaves).value == "030101 噪声扰民"
    assert read_category("030101", leaves).value == "030101 噪声扰民" and read_category("030101", leaves).ready
    assert read_category("噪声扰民", leaves).value == "030101 噪声扰民" and read_category("噪声扰民", leaves).ready


def test_a_half_typed_category_never_saves_the_ticket(desk):
    resp = log_call(desk, category="噪声")  # Enter in the category field without JavaScript
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and Ticket.query.count() == 0
    assert "已选定为 030101 噪声扰民" in html and 'value="030101 噪声扰民"' in html and "本次未保存" in html
    assert 'value="城乡低保怎么申请"' not in html and "城乡低保怎么申请" in html  # the rest of the input is kept
    resp = log_call(desk, category="0301")
    assert resp.status_code == 400 and "匹配 3 个分类" in resp.get_data(as_text=True) and Ticket.query.count() == 0
    assert log_call(desk, category="030101").status_code == 302  # a whole code saves
    assert Ticket.query.one().category_code == "030101"


@pytest.mark.parametrize("bad", ["噪\x00声", "9" * 5000, "'\"<script>", "\x00"])
def test_bad_category_input_is_a_clear_400(desk, bad):
    resp = log_call(desk, category=bad)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "分类" in html and Ticket.query.count() == 0
    assert "\"<script>" not in html and "\x00" not in html


def test_console_explains_the_keys_and_links_the_knowledge_base(desk):
    html = desk.get("/hotline/console").get_data(as_text=True)
    assert "按 Enter 选定分类" in html and "Ctrl+Enter 在任意位置保存" in html
    assert 'aria-describedby="category-status"' in html and 'id="category-status" class="form-text" aria-live="polite"' in html
    assert 'href="/hotline/kb/"' in html and "js/console.js" in html


@pytest.mark.parametrize("role, department, shown", [
    ("operator", None, True), ("staff", "mzj", True), ("approver", "mzj", True), ("supervisor", None, True),
    ("admin", None, True), ("citizen", None, False)])
def test_staff_navigation_links_the_knowledge_base(client, hot, role, department, shown):
    make_user(role, f"{role}@x.cn", department=department)
    login(client, f"{role}@x.cn")
    html = client.get("/").get_data(as_text=True)
    assert ('href="/hotline/kb/">热线知识库' in html) is shown


def test_anonymous_navigation_has_no_knowledge_base(client, hot):
    assert "热线知识库" not in client.get("/").get_data(as_text=True)


# --- knowledge-base answers on the ticket page ----------------------------------------------------------

def test_ticket_page_offers_valid_answers_to_insert(desk):
    good = publish("城乡低保如何申请？", "向户籍所在地镇（街道）提出申请，\n携带身份证、户口簿。")
    other = publish("居住证在哪里办？", "持身份证到派出所。")
    publish("低保标准是多少？", "2025 年标准（已过期）。", valid_until=at(2026, 11, 1).date())
    publish("低保申请要多久？", "草稿，不可用。", status="draft")
    log_call(desk)
    t = Ticket.query.one()
    html = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert good.question in html and "携带身份证、户口簿。" in html and other.question not in html
    assert "已过期" not in html and "草稿，不可用" not in html
    assert 'id="direct-answer"' in html and f'data-kb-insert="kb-answer-{good.id}"' in html and "插入答复" in html
    assert 'data-kb-target="direct-answer"' in html and "js/kb_insert.js" in html
    # the search box: without JavaScript a GET of the page, with htmx the list alone
    found = desk.get(f"/hotline/tickets/{t.id}?kb=居住证").get_data(as_text=True)
    assert other.question in found and 'value="居住证"' in found
    part = desk.get(f"/hotline/kb/for/{t.id}?kb=居住证").get_data(as_text=True)
    assert other.question in part and "<html" not in part and good.question not in part
    assert "没有与“火星”匹配的有效答复" in desk.get(f"/hotline/kb/for/{t.id}?kb=火星").get_data(as_text=True)
    assert desk.get(f"/hotline/kb/for/{t.id}?kb=" + "长" * 5000).status_code == 200
    nul = desk.get(f"/hotline/kb/for/{t.id}?kb=%00")
    assert nul.status_code == 400 and NUL_MESSAGE in nul.get_data(as_text=True)  # core/wellformed.py
    # the inserted answer is sent as the 直接办结 text
    answer = good.answer
    resp = desk.post(f"/hotline/tickets/{t.id}/direct_close", data={"answer": answer, "csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    db.session.remove()
    t = db.session.get(Ticket, t.id)
    assert t.status == "replied" and t.reply_text == answer
    after = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "插入答复" not in after and desk.get(f"/hotline/kb/for/{t.id}").status_code == 404


def test_only_who_may_close_directly_sees_the_answers(app, desk):
    publish("城乡低保如何申请？", "向户籍所在地镇（街道）提出申请。")
    log_call(desk)
    t = Ticket.query.one()
    page = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    desk.post(f"/hotline/tickets/{t.id}/dispatch", data={"department": "mzj", "csrf_token": csrf_from(page)})
    staff = app.test_client()
    make_user("staff", "s@x.cn", department="mzj")
    login(staff, "s@x.cn")
    html = staff.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert "签收" in html and "插入答复" not in html and 'id="kb"' not in html
    assert staff.get(f"/hotline/kb/for/{t.id}").status_code == 404


def test_api_gives_the_same_answers_under_the_same_rule(hot, api_as, app):
    e = publish("城乡低保如何申请？", "向户籍所在地镇（街道）提出申请。")
    op = api_as("operator")
    with pinned(app, NOON):
        created = op.post("/tickets", {"type": "inquiry", "category_code": "020201", "content": "城乡低保怎么申请"})
        assert created.status_code == 201, created.get_json()
        tid = created.get_json()["id"]
        got = op.get(f"/tickets/{tid}/knowledge")
        assert got.status_code == 200 and [i["id"] for i in got.get_json()["items"]] == [e.id]
        too_long = op.get(f"/tickets/{tid}/knowledge?q=" + "长" * 300)
        assert too_long.status_code == 400 and "最多 100 个字" in too_long.get_json()["message"]
        searched = op.get(f"/tickets/{tid}/knowledge?q=  居住证 ")
        assert searched.status_code == 200, searched.get_data(as_text=True)
        assert searched.get_json() == {"query": "居住证", "items": []}
        assert op.get(f"/tickets/{tid}/knowledge?q=%00").status_code == 400
        assert api_as("staff", "mzj", "s@x.cn").get(f"/tickets/{tid}/knowledge").status_code in (403, 404)
        assert api_as("supervisor").get(f"/tickets/{tid}/knowledge").status_code == 200
        closed = op.post(f"/tickets/{tid}/direct-close", {"answer": e.answer})
        assert closed.status_code == 200
        late = op.get(f"/tickets/{tid}/knowledge")
        assert late.status_code == 409 and "直接办结" in late.get_data(as_text=True)


# --- 协办部门 -------------------------------------------------------------------------------------------

def test_co_departments_are_checkboxes_that_work_without_javascript(desk):
    log_call(desk)
    t = Ticket.query.one()
    html = desk.get(f"/hotline/tickets/{t.id}").get_data(as_text=True)
    assert 'name="co" multiple' not in html and "<select class=\"form-select form-select-sm mb-2\" id=\"co\"" not in html
    from core.departments.service import active_departments
    codes = [d.code for d in active_departments()]
    assert html.count('type="checkbox" name="co"') == len(codes) > 30
    assert 'id="co-filter"' in html and "hidden" in html.split('id="co-filter"', 1)[1].split(">", 1)[0]
    assert 'aria-live="polite">已选 0 个协办部门' in html and "js/co_picker.js" in html
    resp = desk.post(f"/hotline/tickets/{t.id}/dispatch", data={
        "department": "mzj", "co": ["rsj", "jyj"], "csrf_token": csrf_from(html)})
    assert resp.status_code == 302
    db.session.remove()
    t = db.session.get(Ticket, t.id)
    assert sorted(c.department.code for c in t.co_handlers) == ["jyj", "rsj"]


def test_everyday_words_find_the_category_and_every_error_comes_at_once(app, client, hot):
    """噪音 is read as the catalogue's 噪声 (hotline/catalogue.SYNONYMS); a half-typed category with an empty
    content answers both problems in one go, and nothing is saved."""
    from hotline.catalogue import SYNONYMS
    from hotline.console_form import matches
    from hotline.models import Category
    leaves = Category.query.filter_by(level=3).all()
    assert [c.code for c in matches("噪音", leaves)] == ["030101"] and SYNONYMS["噪音"] == "噪声"
    assert [c.code for c in matches("拖欠工资", leaves)] == ["020102"]
    login(client, make_user("operator", "op.syn@x.cn").login_id)
    page = client.get("/hotline/console").get_data(as_text=True)
    assert "data-synonyms=" in page and "噪音" in page
    resp = client.post("/hotline/console", data={"csrf_token": csrf_from(page), "caller_phone": "13800001111",
                                                  "type": "complaint", "category": "噪音", "content": ""})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "030101 噪声扰民" in body and "请填写诉求内容" in body
