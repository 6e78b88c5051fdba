"""Departments (seed, routing, admin pages) and the JSON API (departments, tokens, errors, OpenAPI)."""
import pytest

from core.auth import service as auth_service
from core.departments.models import Department
from core.departments.routing import suggest_departments
from core.departments.seed_data import department_rows
from core.departments.service import active_departments, seed_departments
from tests.conftest import csrf_from, make_user

SEED_NAMES = ["区编办", "司法局", "政务办", "市场监管局", "公安分局", "发改委", "工信局", "住建局",
              "生态环境局", "财政局", "国资办", "农业农村局", "民政局", "人社局", "教育局", "卫健委", "审计局",
              "水利局", "气象局", "区政府办", "区委办"]


def test_seed_has_every_department_of_the_work_plan_once(seeded, now):
    names = {d.name for d in Department.query}
    assert set(SEED_NAMES) <= names
    assert Department.query.filter_by(kind="town").count() >= 10
    assert seed_departments(now) == []  # idempotent
    codes = [r["code"] for r in department_rows()]
    assert len(codes) == len(set(codes))
    assert Department.query.filter_by(code="mzj").one().name == "民政局"
    assert Department.query.filter_by(code="fgw").one().name == "发改委"


def test_seed_keeps_admin_edits(seeded, now):
    dep = Department.query.filter_by(code="mzj").one()
    dep.phone = "0515-88888888"
    from core.extensions import db
    db.session.commit()
    seed_departments(now)
    assert Department.query.filter_by(code="mzj").one().phone == "0515-88888888"


@pytest.mark.parametrize("text, code", [
    ("申请公开本区2025年城乡低保对象名单和低保标准", "mzj"),
    ("请公开某某地块棚户区改造的征收补偿方案", "zjj"),
    ("某化工厂夜间排污，要求公开环评信息", "sthjj"),
    ("要求公开义务教育划片招生的范围", "jyj"),
    ("请公开区本级2025年三公经费决算", "czj"),
    ("居住证申领条件是什么", "gafj"),
    ("精准扶贫建档立卡的低收入农户名单", "nyncj"),
])
def test_routing_suggests_the_lead_department_with_a_reason(seeded, text, code):
    best = suggest_departments(text, active_departments())[0]
    assert best.department.code == code
    assert "牵头" in best.reason and best.department.name in best.reason


def test_routing_gives_nothing_for_unrelated_text(seeded):
    assert suggest_departments("你好，谢谢", active_departments()) == []


def test_admin_creates_and_edits_a_department(client, as_role):
    as_role("admin")
    form = client.get("/admin/departments/new").get_data(as_text=True)
    resp = client.post("/admin/departments/new", data={
        "code": "BAD CODE", "name": "x", "full_name": "x", "kind": "organ", "csrf_token": csrf_from(form)})
    assert "代码只能用小写字母" in resp.get_data(as_text=True)
    resp = client.post("/admin/departments/new", data={
        "code": "tyj", "name": "体育局", "full_name": "盐城市亭湖区体育局", "kind": "organ",
        "keywords": "体育场馆、全民健身", "active": "y", "csrf_token": csrf_from(form)})
    assert resp.status_code == 302
    assert suggest_departments("全民健身中心开放时间", active_departments())[0].department.code == "tyj"
    edit = client.get("/admin/departments/tyj/edit").get_data(as_text=True)
    resp = client.post("/admin/departments/tyj/edit", data={
        "code": "tyj", "name": "文体局", "full_name": "盐城市亭湖区文体局", "kind": "organ",
        "phone": "0515-1", "email": "bad-email", "active": "y", "csrf_token": csrf_from(edit)})
    assert "邮箱格式不正确" in resp.get_data(as_text=True)
    resp = client.post("/admin/departments/tyj/edit", data={
        "code": "tyj", "name": "文体局", "full_name": "盐城市亭湖区文体局", "kind": "organ",
        "active": "y", "csrf_token": csrf_from(edit)})
    assert resp.status_code == 302 and Department.query.filter_by(code="tyj").one().name == "文体局"
    dup = client.post("/admin/departments/new", data={
        "code": "mzj", "name": "x", "full_name": "x", "kind": "organ", "csrf_token": csrf_from(form)})
    assert "已存在" in dup.get_data(as_text=True)


def test_departments_api_lists_code_name_contact(client, seeded):
    data = client.get("/api/v1/departments").get_json()
    mzj = next(d for d in data["departments"] if d["code"] == "mzj")
    assert mzj["name"] == "民政局" and set(mzj["contact"]) == {"phone", "email", "address"}
    assert len(data["departments"]) == Department.query.filter_by(active=True).count()


def test_token_auth_and_revocation(client, seeded, now):
    user = make_user("staff", "s@x.cn", department="mzj")
    raw, token = auth_service.create_token(user, now=now)
    assert token.token_hash != raw and raw not in token.token_hash  # only the hash is stored
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.get_json()["department"] == "mzj"
    auth_service.revoke_token(token, now=now)
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 401 and resp.get_json() == {"error": "unauthorized", "message": "API 令牌无效或已吊销"}
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_citizens_cannot_hold_tokens(seeded, now):
    from core.errors import ValidationError
    citizen = make_user("citizen", "c@x.cn")
    with pytest.raises(ValidationError):
        auth_service.create_token(citizen, now=now)


def test_api_errors_are_json(client, seeded):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"
    resp = client.post("/api/v1/departments")
    assert resp.status_code == 405 and resp.get_json() == {"error": "method_not_allowed", "message": "不支持的请求方式"}
    user = make_user("staff", "s@x.cn", department="mzj")
    raw, _ = auth_service.create_token(user, now=user.created_at)
    resp = client.post("/api/v1/departments", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 405 and resp.get_json()["error"] == "method_not_allowed"


def test_openapi_document_describes_every_api_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    import re
    api_rules = {re.sub(r"<(?:int:)?(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1")) for r in app.url_map.iter_rules()
                 if r.rule.startswith("/api/v1/") and r.rule != "/api/v1/openapi.json"}
    assert api_rules == set(doc["paths"])
    for path, item in doc["paths"].items():
        methods = {m for r in app.url_map.iter_rules()
                   if re.sub(r"<(?:int:)?(\w+)>", r"{\1}", r.rule.removeprefix("/api/v1")) == path
                   for m in r.methods - {"HEAD", "OPTIONS"}}
        assert {m.upper() for m in item} == methods, path
