"""Write docs/routes.md from the access table of tests/test_route_access.py (who may use each route)
and the app's URL map (which view answers it). The table is kept in one place — the test — and
tests/test_docs.py fails when docs/routes.md differs from what this script writes now.

    .venv/bin/python tools/routes_doc.py            # rewrite docs/routes.md
    .venv/bin/python tools/routes_doc.py --check    # exit 1 if docs/routes.md is stale
"""
import inspect
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "routes.md"
COMMAND = ".venv/bin/python tools/routes_doc.py"

# Sections of the page: (title, path prefixes), first match wins.
SECTIONS = [
    ("Public pages, accounts and the service itself", ("/auth", "/captcha", "/favicon.ico", "/nav", "/healthz", "/static",
                                                         "/notifications")),
    ("Disclosure applications (依申请公开)", ("/requests", "/api/v1/disclosure-requests")),
    ("Correction requests (更正, 条例 Art. 41)", ("/corrections", "/api/v1/correction-requests")),
    ("12345 hotline", ("/hotline", "/api/v1/tickets", "/api/v1/cti", "/open311", "/admin/sla")),
    ("Public log (公开答复库) and publication review", ("/log", "/api/v1/log", "/api/v1/publication-reviews")),
    ("Reports", ("/reports",)),
    ("Administration and the API's own endpoints", ("/admin", "/api/v1")),
]

LEVELS = {
    "public": "everyone",
    "item": "everyone reaches it; the item check answers 404 unless the item is the visitor's (or the staff's who handle it)",
    "login": "any logged-in user",
    "citizen": "citizens with an account",
    "staff": "staff roles: operator, staff, approver, supervisor, admin",
    "handler": "staff, approver, supervisor, admin — not hotline operators",
    "desk": "the 12345 desk: operator, supervisor, admin",
    "reviewer": "approver, supervisor, admin",
    "supervisor": "supervisor, admin",
    "admin": "admin",
    "apikey": "an Open311 `api_key` (API token) of an operator, supervisor or admin; no session counts",
    "gateway": "the SMS gateway's shared secret (`SMS_WEBHOOK_TOKEN` in the X-SMS-Token header); no session or token counts",
    "pbx": "a telephone system's CTI token (`CTI_TOKENS`; header `X-CTI-Token` or query `token`); no session or "
           "bearer token counts (401)",
}

# What the level alone does not say, per route of the access table (each key must be one of its rules).
NOTES = {
    "/": "content by role",
    "/nav/work": "the header's 我的工作 counts (htmx, every minute); empty for citizens, 204 when signed out",
    "/auth/logout": "CSRF token required",
    "/auth/password": "the current password is checked with the login throttling",
    "/requests/lookup": "tracking number + access code; GET leads to the form",
    "/requests/lookup/code": "sends a new access code to the contact given at submission",
    "/requests/<int:request_id>": "the applicant's account or a visitor who looked it up this session, and the staff who "
                                  "handle it (never hotline operators)",
    "/requests/<int:request_id>/correction": "the applicant only; staff register corrections on the handling page",
    "/requests/<int:request_id>/documents/<int:document_id>/receipt": "the applicant acknowledges a notice addressed to "
                                                                      "them (网上签收)",
    "/requests/staff/": "staff and approvers see their own department (others 404)",
    "/requests/staff/<int:request_id>/<action>": "each action as `requests_module/access.py` says (403 otherwise, with "
                                                 "the reason for extension and sign-off); the same for the API",
    "/requests/staff/register": "staff and approvers register straight to their own department",
    "/requests/staff/intake": "公开办 intake",
    "/requests/staff/lapsed": "approvers see their own department: the decision list of periods that seem to have run out",
    "/api/v1/disclosure-requests": "Bearer token; staff and approvers only what their department handles or issues "
                                   "(区政府办: what the government received; others 404)",
    "/corrections/staff/<int:correction_id>/decide": "the addressed department only "
                                                     "(`requests_module/access.py: can_decide_correction`)",
    "/hotline/lookup": "GET leads to the form on `/hotline/new`",
    "/hotline/my/<int:ticket_id>": "the caller's account or a visitor who looked it up with number + access code",
    "/hotline/kb/for/<int:ticket_id>": "whoever may 直接办结 that ticket (rule `direct_close`) while it is new; others 404",
    "/hotline/tickets/<int:ticket_id>": "department staff: lead or co-handler only, others 404",
    "/hotline/tickets/<int:ticket_id>/<action>": "each action as `hotline/access.py` RULES says (403 otherwise); the same "
                                                 "for `/api/v1/tickets/<id>/<action>`",
    "/hotline/supervision": "operators 403; department staff and approvers see their department's own orders",
    "/api/v1/tickets/<int:ticket_id>/knowledge": "rule `direct_close` (403); 409 once the ticket is no longer new",
    "/api/v1/tickets/<int:ticket_id>/supervision-orders": "rule `supervise`: supervisor, admin",
    "/api/v1/tickets/<int:ticket_id>/supervision-orders/<int:order_id>/feedback": "rule `supervision_feedback`: staff "
                                                                                  "and approvers of the lead department",
    "/api/v1/tickets/<int:ticket_id>/close-no-contact": "rule `close_no_contact`: operator, supervisor, admin",
    "/api/v1/tickets/<int:ticket_id>/return-review": "rule `return_review`: operator, supervisor, admin",
    "/open311/v2/requests.<fmt>": "GET: no personal data, published records only",
    "/log/<public_id>": "published, masked records only; unpublished 404, withdrawn 410",
    "/log/review/": "approvers: their own department, never their own replies; other departments 404",
    "/reports/disclosure/<int:year>": "staff and approvers: their own department only",
    "/reports/hotline/assessment.pdf": "staff and approvers: their own department's row, unranked",
    "/reports/runs/<int:run_id>": "the requester only (others 404)",
    "/requests/staff/<int:request_id>/documents/<int:document_id>.pdf": "as the handling page: 补正告知书, 延期告知书, "
                                                                        "征求意见书, 收费通知书, 答复书",
    "/api/v1/tickets": "POST (create): the desk; GET: department staff only their department's tickets",
    "/api/v1/tickets/<int:ticket_id>": "department staff: lead or co-handler only (others 404); each action by the "
                                       "same `hotline/access.py` RULES as the page",
    "/api/v1/tickets/supervision-orders": "the 督办单 list of `/hotline/supervision` by token",
    "/hotline/hotspots": "热点预警: the hot spots with their chart and map (`hotline/access.py: HOTSPOT_ROLES`)",
    "/hotline/hotspots/<int:hotspot_id>/merge": "合并办理; each ticket by rule `merge` (CSRF token required)",
    "/hotline/hotspots/<int:hotspot_id>/dispatch": "联合派单 of the new tickets; each ticket by rule `dispatch`",
    "/api/v1/tickets/hotspots": "the hot spots of `/hotline/hotspots` by token; merge and dispatch by the same services",
    "/hotline/console": "the operator console (with `/caller` and `/suggest` for its live hints)",
    "/hotline/console/extension": "the operator signs in at (or leaves) an extension: its calls pop up on the console",
    "/hotline/console/calls/<int:call_id>": "the screen-pop of a call: the caller's open tickets and history as "
                                            "`hotline/access.py: visible` allows",
    "/hotline/calls": "the CTI call log, newest first",
    "/hotline/live": "Server-Sent Events: each user hears only their channels (`hotline/access.py: live_channels`)",
    "/api/v1/cti": "newCall / answer / hangup of the telephone system (Zammad's generic CTI shape), `docs/api.md`",
    "/hotline/returns": "退单待审核: returns awaiting the centre's review (rule `return_review`)",
    "/hotline/linkage": "110/119/120/122 transfers awaiting feedback, 110 hand-overs whose result is owed to 110",
    "/hotline/queue": "the department's queue with bulk sign-for; staff and approvers see their own department",
    "/hotline/kb/<int:entry_id>/<status>": "publish or retire a knowledge-base entry",
    "/reports/runs": "queues a report job, scoped like the dashboard",
    "/reports/hotline": "staff and approvers: their own department only; supervisors and admins all, with ranking",
    "/reports/disclosure/dashboard": "staff and approvers: their own department only",
    "/admin/calendar/": "the due-date calculator and the year listing",
    "/admin/jobs/": "queue lengths, sweep runs, failed jobs (requeue/delete) and failed notifications (resend)",
    "/api/v1/me": "Bearer token",
    "/healthz": "load balancers, monitoring; no secrets in the answer",
    "/captcha": "a new captcha picture for a public form",
    "/notifications/": "own notifications only",
}


def _app():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TEST_DATABASE_URL", "sqlite://")
    from app import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    return create_app(Config)


def _views(app):
    """(rule, method) -> `path/to/module.py: function` of the view that answers it."""
    out = {}
    for rule in app.url_map.iter_rules():
        fn = inspect.unwrap(app.view_functions[rule.endpoint])
        module = fn.__module__
        name = getattr(fn, "defined_in", fn.__name__)  # a view made from a table (hotline/api.py: STEPS) names the table
        where = (f"`{module.replace('.', '/')}.py: {name}`" if not module.startswith("flask")
                 else "Flask's static files")
        if (ROOT / module.replace(".", "/") / "__init__.py").exists():
            where = f"`{module.replace('.', '/')}/__init__.py: {name}`"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out[(rule.rule, method)] = where
    return out


def _section(rule):
    for i, (_, prefixes) in enumerate(SECTIONS):
        if rule == "/" or any(rule.startswith(p) for p in prefixes):
            return 0 if rule == "/" else i
    return len(SECTIONS) - 1


def render():
    sys.path.insert(0, str(ROOT))
    from tests.test_route_access import ACCESS, ALLOWED

    rules = {rule for rule, _ in ACCESS}
    unknown = set(NOTES) - rules
    assert not unknown, f"NOTES name routes that are not in the access table: {sorted(unknown)}"
    views = _views(_app())
    rows = {}
    for (rule, method), level in ACCESS.items():
        key = (rule, level, views.get((rule, method), "—"))
        rows.setdefault(key, []).append(method)
    lines = [
        "# Routes and who may use them",
        "",
        f"<!-- Generated by `{COMMAND}` from `tests/test_route_access.py` (ACCESS) and the app's URL map. "
        "Do not edit by hand. -->",
        "",
        "Every route of the app is a row of `ACCESS` in `tests/test_route_access.py`; that test walks the URL map",
        "as anonymous, citizen, operator, staff, approver, supervisor and admin and fails if a route is missing",
        "from the table or answers differently (anonymous visitors of a page are sent to the login page, the API",
        "answers 401; a wrong role gets 403). Who may see an item and take each action on it is decided in one",
        "place per workflow — `requests_module/access.py` and `hotline/access.py` (`can_view`, `can_act`, `RULES`) —",
        "which pages, templates and the API ask; `tests/requests/test_access_matrix.py` and",
        "`tests/hotline/test_access_matrix.py` try every action as every role on the page and through the API.",
        "Staff and approvers are limited to their own department (another department's item: 404). A second test",
        "(`tests/test_route_access.py::test_items_belong_to_their_owner_and_department`) checks items beyond roles: a",
        "citizen's own application, its attachment and ticket answer 404 to another citizen and to anonymous",
        "visitors, and a department's application and ticket — pages and API — answer 403/404 to the staff of",
        "another department. CSRF and the status look-up: `docs/operations.md`.",
        "",
        "| level | who |",
        "|---|---|",
    ]
    for level in ALLOWED:
        lines.append(f"| `{level}` | {LEVELS[level]} |")
    for i, (title, _) in enumerate(SECTIONS):
        section = sorted((k, v) for k, v in rows.items() if _section(k[0]) == i)
        if not section:
            continue
        lines += ["", f"## {title}", "", "| route | methods | who | view | note |", "|---|---|---|---|---|"]
        for (rule, level, view), methods in section:
            methods = ", ".join(sorted(methods))
            lines.append(f"| `{rule}` | {methods} | `{level}` | {view} | {NOTES.get(rule, '')} |")
    return "\n".join(lines) + "\n"


def main(argv):
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"docs/routes.md is stale: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
