"""Every route of the URL map is in this table, and answers each kind of visitor as the table says.

Levels: public (everyone), item (everyone reaches it, the item check decides: 404 unless allowed),
login (any logged-in user), staff (operator, staff, approver, supervisor, admin), handler (staff,
approver, supervisor, admin — not hotline operators), desk (operator, supervisor, admin), reviewer
(approver, supervisor, admin), supervisor (supervisor, admin), admin; pbx (a PBX's CTI token only: 401 for all). Every role is a visitor below,
operators and approvers included. docs/routes.md is generated from this table: after a change run
`.venv/bin/python tools/routes_doc.py` (tests/test_docs.py fails until docs/routes.md matches).
"""
import pytest

from tests.conftest import csrf_from, login, make_user


def posts(prefix, level, actions):
    """The POST routes `prefix`/<action>, one for each of `actions`, all at `level`."""
    return {(f"{prefix}/{a}", "POST"): level for a in actions}


ACCESS = {
    ("/", "GET"): "public",
    ("/auth/login", "GET"): "public",
    ("/auth/login", "POST"): "public",
    ("/auth/register", "GET"): "public",
    ("/auth/register", "POST"): "public",
    ("/auth/logout", "POST"): "public",
    ("/auth/register/confirm", "GET"): "public",
    ("/auth/register/confirm", "POST"): "public",
    ("/auth/reset", "GET"): "public",
    ("/auth/reset", "POST"): "public",
    ("/auth/reset/confirm", "GET"): "public",
    ("/auth/reset/confirm", "POST"): "public",
    ("/auth/password", "GET"): "login",
    ("/auth/password", "POST"): "login",
    ("/admin/departments/", "GET"): "staff",
    ("/admin/departments/new", "GET"): "admin",
    ("/admin/departments/new", "POST"): "admin",
    ("/admin/departments/<code>/edit", "GET"): "admin",
    ("/admin/departments/<code>/edit", "POST"): "admin",
    ("/admin/calendar/", "GET"): "staff",
    ("/admin/calendar/import", "POST"): "admin",
    ("/admin/calendar/day", "POST"): "admin",
    ("/admin/calendar/day/<day>/delete", "GET"): "admin",
    ("/admin/calendar/day/<day>/delete", "POST"): "admin",
    ("/requests/", "GET"): "public",
    ("/requests/new", "GET"): "public",
    ("/requests/new", "POST"): "public",
    ("/requests/lookup", "GET"): "public",
    ("/requests/lookup", "POST"): "public",
    ("/requests/lookup/code", "POST"): "public",
    # Item routes: everyone reaches them; the item check answers 404 unless it is theirs (tests/requests).
    ("/requests/<int:request_id>", "GET"): "item",
    ("/requests/<int:request_id>/correction", "POST"): "item",
    ("/requests/<int:request_id>/documents/<int:document_id>/receipt", "POST"): "item",
    ("/requests/<int:request_id>/documents/<int:document_id>.pdf", "GET"): "item",
    ("/requests/<int:request_id>/reasons", "POST"): "item",
    ("/requests/<int:request_id>/letter.pdf", "GET"): "item",
    ("/requests/<int:request_id>/attachments/<int:attachment_id>", "GET"): "item",
    # Correction requests (条例 Art. 41): citizens with an account apply; the item check answers 404 to others.
    ("/corrections/", "GET"): "citizen",
    ("/corrections/new", "GET"): "citizen",
    ("/corrections/new", "POST"): "citizen",
    ("/corrections/<int:correction_id>", "GET"): "item",
    ("/corrections/<int:correction_id>/letter.pdf", "GET"): "item",
    ("/corrections/<int:correction_id>/evidence/<int:evidence_id>", "GET"): "item",
    ("/corrections/staff/", "GET"): "handler",
    ("/corrections/staff/register", "GET"): "handler",
    ("/corrections/staff/register", "POST"): "handler",
    ("/corrections/staff/<int:correction_id>", "GET"): "handler",
    ("/corrections/staff/<int:correction_id>/decide", "POST"): "handler",
    ("/api/v1/correction-requests", "GET"): "handler",
    ("/api/v1/correction-requests", "POST"): "handler",
    ("/api/v1/correction-requests/<int:correction_id>", "GET"): "handler",
    ("/api/v1/correction-requests/<int:correction_id>/decision", "POST"): "handler",
    ("/requests/staff/", "GET"): "handler",
    ("/requests/staff/intake", "GET"): "supervisor",
    ("/requests/staff/register", "GET"): "handler",
    ("/requests/staff/register", "POST"): "handler",
    ("/requests/staff/<int:request_id>", "GET"): "handler",
    ("/requests/staff/<int:request_id>/<action>", "POST"): "handler",
    ("/requests/staff/<int:request_id>/documents/<int:document_id>.pdf", "GET"): "handler",
    ("/requests/staff/lapsed", "GET"): "reviewer",
    ("/requests/staff/<int:request_id>/reply-preview", "POST"): "handler",
    ("/requests/staff/<int:request_id>/reply-template", "POST"): "handler",
    ("/requests/staff/<int:request_id>/reply-draft", "POST"): "handler",
    ("/requests/staff/<int:request_id>/letter-draft.pdf", "GET"): "handler",
    ("/hotline/", "GET"): "public",
    ("/open311/v2/discovery.<fmt>", "GET"): "public",
    ("/open311/v2/services.<fmt>", "GET"): "public",
    ("/open311/v2/services/<code>.<fmt>", "GET"): "public",
    ("/open311/v2/requests.<fmt>", "GET"): "public",
    ("/open311/v2/requests/<rid>.<fmt>", "GET"): "public",
    ("/open311/v2/tokens/<token>.<fmt>", "GET"): "public",
    ("/open311/v2/requests.<fmt>", "POST"): "apikey",  # form field api_key, not the session
    ("/admin/sla/", "GET"): "admin",
    ("/admin/sla/", "POST"): "admin",
    ("/admin/sla/<int:rule_id>/delete", "POST"): "admin",
    ("/hotline/new", "GET"): "public",
    ("/hotline/new", "POST"): "public",
    ("/hotline/lookup", "GET"): "public",
    ("/hotline/lookup", "POST"): "public",
    ("/hotline/lookup/code", "POST"): "public",
    ("/hotline/my/", "GET"): "citizen",  # 我的诉求: the tickets of the citizen's account
    ("/hotline/my/<int:ticket_id>", "GET"): "item",
    ("/hotline/my/<int:ticket_id>/rate", "POST"): "item",
    ("/hotline/kb/", "GET"): "staff",
    ("/hotline/kb/new", "GET"): "staff",
    ("/hotline/kb/new", "POST"): "staff",
    ("/hotline/kb/<int:entry_id>/<status>", "POST"): "supervisor",
    ("/hotline/kb/for/<int:ticket_id>", "GET"): "staff",
    ("/hotline/console", "GET"): "desk",
    ("/hotline/console", "POST"): "desk",
    ("/hotline/console/caller", "GET"): "desk",
    ("/hotline/console/suggest", "GET"): "desk",
    ("/hotline/console/extension", "POST"): "desk",
    ("/hotline/console/calls/<int:call_id>", "GET"): "desk",
    ("/hotline/calls", "GET"): "desk",
    ("/hotline/live", "GET"): "staff",  # the event stream (issue 20): what a user hears, hotline/access.py
    ("/api/v1/cti", "POST"): "pbx",  # a PBX's CTI token (CTI_TOKENS), never a session or a bearer token
    ("/hotline/dispatch", "GET"): "desk",
    ("/hotline/inbox/", "GET"): "desk",  # 待受理（邮件/短信）: written intake (issue 20)
    ("/hotline/inbox/<int:item_id>", "GET"): "desk",
    ("/hotline/inbox/<int:item_id>/attachments/<int:attachment_id>", "GET"): "desk",
    ("/hotline/inbox/<int:item_id>/convert", "POST"): "desk",
    ("/hotline/inbox/<int:item_id>/invalid", "POST"): "desk",
    ("/api/v1/sms/inbound", "POST"): "gateway",  # the SMS gateway's shared secret (X-SMS-Token), not a session
    ("/hotline/callbacks", "GET"): "desk",
    ("/hotline/linkage", "GET"): "desk",
    ("/hotline/returns", "GET"): "desk",
    ("/hotline/subcentres", "GET"): "desk",  # 分中心在办 (two-level dispatch, hotline/tiers.py)
    ("/hotline/queue", "GET"): "handler",
    ("/hotline/queue/sign", "POST"): "handler",
    ("/hotline/tickets/<int:ticket_id>", "GET"): "staff",
    ("/hotline/tickets/<int:ticket_id>/<action>", "POST"): "staff",
    ("/log/", "GET"): "public",
    ("/log/<public_id>", "GET"): "public",
    ("/log/feed.atom", "GET"): "public",
    ("/log/departments/<code>/feed.atom", "GET"): "public",
    ("/log/review/", "GET"): "reviewer",
    ("/log/review/<int:record_id>", "GET"): "reviewer",
    ("/log/review/<int:record_id>/approve", "POST"): "reviewer",
    ("/log/review/<int:record_id>/refuse", "POST"): "reviewer",
    ("/log/review/<int:record_id>/unmask", "POST"): "reviewer",
    ("/log/review/<int:record_id>/mask", "POST"): "reviewer",
    ("/log/review/<int:record_id>/withdraw", "POST"): "supervisor",
    ("/log/review/<int:record_id>/correct", "POST"): "supervisor",
    ("/reports/disclosure/", "GET"): "handler",
    ("/reports/hotline", "GET"): "handler",
    ("/reports/hotline.json", "GET"): "handler",
    ("/reports/hotline/assessment.pdf", "GET"): "handler",
    ("/reports/disclosure/<int:year>", "GET"): "handler",
    ("/reports/disclosure/<int:year>.<fmt>", "GET"): "handler",
    ("/reports/disclosure/dashboard", "GET"): "handler",
    ("/reports/disclosure/dashboard.json", "GET"): "handler",
    ("/reports/runs", "POST"): "handler",
    ("/reports/runs/", "GET"): "handler",
    ("/reports/runs/<int:run_id>", "GET"): "handler",
    ("/reports/runs/<int:run_id>/file", "GET"): "handler",
    ("/api/v1/log", "GET"): "public",
    ("/api/v1/log/<public_id>", "GET"): "public",
    ("/api/v1/publication-reviews", "GET"): "reviewer",
    ("/api/v1/publication-reviews/<int:record_id>", "GET"): "reviewer",
    ("/api/v1/publication-reviews/<int:record_id>/approve", "POST"): "reviewer",
    ("/api/v1/publication-reviews/<int:record_id>/refuse", "POST"): "reviewer",
    ("/api/v1/publication-reviews/<int:record_id>/unmask", "POST"): "reviewer",
    ("/api/v1/publication-reviews/<int:record_id>/mask", "POST"): "reviewer",
    ("/api/v1/departments", "GET"): "public",
    ("/api/v1/openapi.json", "GET"): "public",
    ("/api/v1/me", "GET"): "staff",
    ("/static/<path:filename>", "GET"): "public",
    ("/healthz", "GET"): "public",
    ("/captcha", "GET"): "public",
    ("/favicon.ico", "GET"): "public",
    ("/nav/work", "GET"): "public",
    ("/notifications/", "GET"): "login",
    ("/notifications/<int:notification_id>/read", "POST"): "login",
    ("/notifications/read-all", "POST"): "login",
    ("/saved-filters/", "POST"): "staff",
    ("/saved-filters/<int:filter_id>/delete", "POST"): "staff",
    ("/admin/jobs/", "GET"): "supervisor",
    ("/admin/jobs/failed/<queue>/<job_id>/requeue", "POST"): "supervisor",
    ("/admin/jobs/failed/<queue>/<job_id>/delete", "POST"): "supervisor",
    ("/admin/jobs/notifications/<int:notification_id>/resend", "POST"): "supervisor",
    ("/api/v1/disclosure-requests", "GET"): "handler",
    ("/api/v1/disclosure-requests", "POST"): "handler",
    ("/api/v1/disclosure-requests/<int:request_id>", "GET"): "handler",
    **posts("/api/v1/disclosure-requests/<int:request_id>", "handler", (
        "confirm-receipt", "assign", "reject", "correction-notice", "correction", "consultations", "fee-notice",
        "payment", "fee-refund", "extension", "reply", "reply-preview", "sign-off", "disputes", "lapse-decision", "reason-request",
        "reasons", "reason-decision", "extension-requests")),
    ("/api/v1/disclosure-requests/<int:request_id>/extension-requests/<int:extension_request_id>/decision",
     "POST"): "handler",
    ("/api/v1/disclosure-requests/extension-requests", "GET"): "handler",
    ("/api/v1/disclosure-requests/<int:request_id>/documents/<int:document_id>/delivery", "POST"): "handler",
    ("/api/v1/disclosure-requests/lapsed", "GET"): "reviewer",
    ("/api/v1/disclosure-requests/<int:request_id>/consultations/<int:consultation_id>/disclosure-notice",
     "POST"): "handler",
    ("/api/v1/disclosure-requests/<int:request_id>/consultations/<int:consultation_id>/answer", "POST"): "handler",
    ("/api/v1/disclosure-requests/<int:request_id>/disputes/<int:dispute_id>/result", "POST"): "handler",
    ("/api/v1/tickets", "GET"): "staff",
    ("/api/v1/tickets", "POST"): "desk",
    ("/api/v1/tickets/<int:ticket_id>", "GET"): "staff",
    ("/api/v1/tickets/<int:ticket_id>/knowledge", "GET"): "staff",
    **posts("/api/v1/tickets/<int:ticket_id>", "staff", (
        "dispatch", "direct-close", "transfer", "sign", "return", "extension-request", "extension-decision",
        "co-part", "reply", "sign-off", "urge", "callback", "review", "merge", "contact")),
    ("/hotline/supervision", "GET"): "handler",
    ("/api/v1/tickets/supervision-orders", "GET"): "handler",
    ("/api/v1/tickets/<int:ticket_id>/supervision-orders", "POST"): "staff",
    ("/api/v1/tickets/<int:ticket_id>/supervision-orders/<int:order_id>/feedback", "POST"): "staff",
    # 热点预警 (hotline/hotspots.py): supervisors and admins, pages and API alike
    ("/hotline/hotspots", "GET"): "supervisor",
    ("/hotline/hotspots/<int:hotspot_id>", "GET"): "supervisor",
    ("/hotline/hotspots/<int:hotspot_id>/merge", "POST"): "supervisor",
    ("/hotline/hotspots/<int:hotspot_id>/dispatch", "POST"): "supervisor",
    ("/api/v1/tickets/hotspots", "GET"): "supervisor",
    ("/api/v1/tickets/hotspots/<int:hotspot_id>", "GET"): "supervisor",
    ("/api/v1/tickets/hotspots/<int:hotspot_id>/merge", "POST"): "supervisor",
    ("/api/v1/tickets/hotspots/<int:hotspot_id>/dispatch", "POST"): "supervisor",
    ("/api/v1/tickets/<int:ticket_id>/close-no-contact", "POST"): "staff",
    ("/api/v1/tickets/<int:ticket_id>/return-review", "POST"): "staff",
    # issue 16 items 1–2: the desk decides inside (hotline/access.py RULES); others get 403/404 per ticket
    **posts("/api/v1/tickets/<int:ticket_id>", "staff", (
        "transfer-feedback", "handover-feedback", "not-accept", "refer-disclosure")),
    # issue 20 item 3: a district sub-centre's 二次派单 and its review of the reply (hotline/access.py RULES)
    **posts("/api/v1/tickets/<int:ticket_id>", "staff", ("redispatch", "subcentre-review")),
}
SAMPLES = {"<code>": "mzj", "<day>": "2026-12-31", "<path:filename>": "css/app.css",
           "<int:request_id>": "999999", "<int:consultation_id>": "1", "<int:attachment_id>": "1",
           "<action>": "reply", "<int:ticket_id>": "999999", "<fmt>": "json", "<rid>": "RX-0000-000000",
           "<token>": "none", "<int:entry_id>": "999999", "<int:rule_id>": "999999", "<status>": "published",
           "<int:notification_id>": "999999", "<queue>": "default", "<job_id>": "no-such-job",
           "<public_id>": "GK-0000-000000", "<int:record_id>": "999999",
           "<int:year>": "2025", "<int:run_id>": "999999",
           "<int:dispute_id>": "1", "<int:correction_id>": "999999", "<int:evidence_id>": "1", "<int:document_id>": "1",
           "<int:order_id>": "999999", "<int:extension_request_id>": "1", "<int:filter_id>": "999999",
           "<int:hotspot_id>": "999999",
           "<int:item_id>": "999999",
           "<int:call_id>": "999999"}
VISITORS = ["anonymous", "citizen", "operator", "staff", "approver", "supervisor", "admin"]
ALLOWED = {
    "public": set(VISITORS),
    "item": set(VISITORS),
    "apikey": set(),
    "gateway": set(),
    "pbx": set(),
    "handler": {"staff", "approver", "supervisor", "admin"},
    "desk": {"operator", "supervisor", "admin"},
    "reviewer": {"approver", "supervisor", "admin"},
    "login": {"citizen", "operator", "staff", "approver", "supervisor", "admin"},
    "citizen": {"citizen"},
    "staff": {"operator", "staff", "approver", "supervisor", "admin"},
    "supervisor": {"supervisor", "admin"},
    "admin": {"admin"},
}


def test_every_route_is_in_the_table(app):
    routes = {(r.rule, m) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes - set(ACCESS) == set(), "routes missing from the access table (then regenerate docs/routes.md)"
    assert set(ACCESS) - routes == set(), "table lists routes that no longer exist"


def _url(rule):
    for k, v in SAMPLES.items():
        rule = rule.replace(k, v)
    return rule


@pytest.mark.parametrize("visitor", VISITORS)
def test_routes_answer_as_the_table_says(client, seeded, visitor):
    headers = {}
    if visitor != "anonymous":
        user = make_user(visitor, department="mzj" if visitor in ("staff", "approver") else None)
        assert login(client, user.login_id).status_code == 302
        if user.role.is_staff:
            from core.auth.service import create_token
            headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    for (rule, method), level in sorted(ACCESS.items()):
        if rule == "/auth/logout":
            continue  # would end the session mid-walk; covered in test_auth
        url = _url(rule)
        if rule.startswith("/api/"):
            resp = client.get(url, headers=headers) if method == "GET" else client.post(url, json={}, headers=headers)
        else:
            resp = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        allowed = visitor in ALLOWED[level]
        where = f"{method} {url} as {visitor}"
        if allowed:
            assert resp.status_code not in (401, 403), where
            if resp.status_code == 302:
                assert "/auth/login" not in resp.headers["Location"], where
        elif level in ("apikey", "gateway"):
            assert resp.status_code == 403, where  # no session counts: only a valid api_key / gateway secret
        elif level == "pbx":
            assert resp.status_code == 401, where  # neither session nor bearer token: only a PBX's CTI token
        elif rule.startswith("/api/"):
            # Anonymous callers and session-only writes get 401; accounts without the role 403.
            assert resp.status_code in ((401,) if visitor == "anonymous" else (401, 403)), where
        elif visitor == "anonymous":
            assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"], where
        else:
            assert resp.status_code == 403, where


def test_items_belong_to_their_owner_and_department(app, seeded, now):
    """Beyond roles: a citizen's own application, attachment and ticket are theirs alone (another
    citizen and anonymous visitors get nothing), and a department's work is closed to the staff of
    another department — pages and API alike."""
    from core.auth.service import create_token
    from core.departments.models import Department
    from hotline import intake as hotline_intake
    from hotline.seed import seed_categories
    from requests_module import intake
    from requests_module.models import RequestAttachment
    from tests.requests.helpers import APPLICATION

    seed_categories()
    owner, other = make_user("citizen", "13800005555"), make_user("citizen", "13800006666")
    staff = {code: make_user("staff", f"{code}@x.cn", department=code) for code in ("mzj", "sthjj", "zjj")}
    req = intake.submit_online({**APPLICATION, "phone": "13800005555"}, now=now, citizen=owner,
                               files=[("身份证明.pdf", b"%PDF-1.4 proof")])
    intake.confirm_receipt(req, received_on=now.date(), now=now, actor="test")
    intake.assign(req, Department.query.filter_by(code="mzj").one(), now=now, actor="test")
    att = RequestAttachment.query.filter_by(request_id=req.id).one()
    ticket = hotline_intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": "13800005555",
                                           "content": "夜间施工噪声", "address": "亭湖区某路"}, channel="web",
                                          received_at=now, now=now, actor=owner, citizen=owner)
    hotline_intake.dispatch(ticket, Department.query.filter_by(code="sthjj").one(), now=now, actor="op")

    citizen_pages = [f"/requests/{req.id}", f"/requests/{req.id}/attachments/{att.id}", f"/hotline/my/{ticket.id}"]
    staff_pages = {"mzj": [f"/requests/staff/{req.id}"], "sthjj": [f"/hotline/tickets/{ticket.id}"]}
    staff_api = {"mzj": [f"/api/v1/disclosure-requests/{req.id}"], "sthjj": [f"/api/v1/tickets/{ticket.id}"]}

    def visit(user, paths, api=False):
        client = app.test_client()
        headers = {}
        if user is not None and not api:
            assert login(client, user.login_id).status_code == 302
        if api:
            headers = {"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
        return {p: client.get(p, headers=headers) for p in paths}

    for path, resp in visit(owner, citizen_pages).items():
        assert resp.status_code == 200, path
    download = visit(owner, [citizen_pages[1]])[citizen_pages[1]]
    assert download.headers["Content-Disposition"].startswith("attachment") and download.data == b"%PDF-1.4 proof"
    for who in (other, None):
        for path, resp in visit(who, citizen_pages).items():
            assert resp.status_code == 404 and b"proof" not in resp.data, (path, who)  # not even "it exists"
    for code in ("mzj", "sthjj"):
        for path, resp in {**visit(staff[code], staff_pages[code]), **visit(staff[code], staff_api[code], api=True)}.items():
            assert resp.status_code == 200, (code, path)
    outsider = staff["zjj"]
    for path, resp in {**visit(outsider, staff_pages["mzj"] + staff_pages["sthjj"]),
                       **visit(outsider, staff_api["mzj"] + staff_api["sthjj"], api=True)}.items():
        assert resp.status_code in (403, 404), path
