"""Base UI: home page by role, Chinese error pages (403/404/413/500), escaping."""
from app import create_app
from config import TestingConfig
from tests.conftest import make_user


def test_home_for_the_public(client, seeded):
    html = client.get("/").get_data(as_text=True)
    assert "申请政府信息公开" in html and "12345 诉求" in html and "登录" in html
    assert "20 个工作日内答复" in html  # requests_module/periods.py ANSWER_WORKDAYS
    assert 'lang="zh-CN"' in html and "跳到正文" in html
    assert "https://" not in html.split("<body>")[0]  # no CDN assets


def test_home_for_staff_shows_their_queues(client, as_role):
    """Each link leads to the work its label names: the 12345 desk never handles applications."""
    as_role("operator")
    html = client.get("/").get_data(as_text=True)
    assert "我的工作" in html and 'href="/hotline/console"><span>12345 话务受理台</span>' in html and "工作日历" in html
    assert "依申请公开办理队列" not in html
    client.get("/auth/logout")
    as_role("staff", department="mzj")
    html = client.get("/").get_data(as_text=True)
    assert ">依申请公开办理队列</span>" in html and ">12345 部门工单队列</span>" in html


def test_404_page_in_chinese(client, app):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404 and "页面不存在" in resp.get_data(as_text=True)


def test_names_are_escaped(client, seeded):
    make_user("citizen", "c@x.cn")
    from core.auth.models import User
    from core.extensions import db
    u = User.query.filter_by(email="c@x.cn").one()
    u.name = "<script>alert(1)</script>"
    db.session.commit()
    from tests.conftest import login
    login(client, "c@x.cn")
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_413_and_500_pages():
    class Cfg(TestingConfig):
        MAX_CONTENT_LENGTH = 1024
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Cfg)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    resp = client.post("/auth/login", data={"login": "x" * 5000})
    assert resp.status_code == 413 and "提交的内容过大" in resp.get_data(as_text=True)
    resp = client.get("/boom")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "服务器内部错误" in body and "boom" not in body


PUBLIC_NAV = ["requests.index", "hotline.index", "public_log.index"]
REPORTS_NAV = ["reports.disclosure_index", "reports.disclosure_dashboard", "reports.hotline_dashboard"]
REFERENCE_NAV = ["hotline_kb.index", "departments.index", "calendar.index"]
QUEUES = ["requests_staff.queue", "hotline.queue", "calendar.index", "departments.index"]
NAVIGATION = {  # role -> (header navigation, home page work), as each package's init_app registers them
    None: (PUBLIC_NAV, []),
    "citizen": (PUBLIC_NAV, []),
    "operator": (PUBLIC_NAV + REFERENCE_NAV,
                 ["hotline.console", "hotline_inbox.index", "hotline.dispatch_queue", "hotline.callbacks", "calendar.index",
                  "departments.index"]),
    "staff": (PUBLIC_NAV + REPORTS_NAV + REFERENCE_NAV, QUEUES),
    "approver": (PUBLIC_NAV + ["public_review.queue"] + REPORTS_NAV + REFERENCE_NAV, QUEUES),
    "supervisor": (PUBLIC_NAV + ["public_review.queue", "hotline_hotspots.index"] + REPORTS_NAV + REFERENCE_NAV
                   + ["jobs_admin.index"], ["requests_staff.intake_queue"] + QUEUES),
    "admin": (PUBLIC_NAV + ["public_review.queue", "hotline_hotspots.index"] + REPORTS_NAV + REFERENCE_NAV
              + ["jobs_admin.index", "hotline_sla.index"], ["requests_staff.intake_queue"] + QUEUES),
}


def test_each_role_sees_its_navigation_and_work_once_however_many_apps():
    from core.auth.models import Role
    from core.templating import NAV, WORK, links_for

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    create_app(Cfg)
    app = create_app(Cfg)
    with app.test_request_context():
        for name, (nav, work) in NAVIGATION.items():
            role = Role(name) if name else None
            assert [endpoint for _, endpoint in links_for(NAV, role)] == nav, name
            assert [endpoint for _, endpoint in links_for(WORK, role) if role and role.is_staff] == work, name
