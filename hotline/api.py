"""JSON API of 12345 tickets: the use cases of DESIGN §3, each with the time it happened (`at`)."""

from flask import abort, jsonify, request

from core import action_time, audit
from core.api import api_user, json_body, make_api_blueprint
from core.api.openapi import ID, error_responses, path_id, query, register_paths, text
from core.auth.guards import roles_required, staff_required
from core.auth.models import Role
from core.db import keep_written, utcnow
from core.departments.service import require_by_code
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.inputs import parse_datetime
from hotline import (
    access,
    callback,
    contact,
    cti_console,
    extensions,
    handling,
    intake,
    linkage,
    no_contact,
    returns,
    scope,
    supervision,
    tiers,
)
from hotline import reply as replies
from hotline.access import DESK
from hotline.common import ENTITY
from hotline.models import Ticket
from hotline.openapi import PATHS
from hotline.queries import represent, visible

bp = make_api_blueprint("tickets_api", __name__, "/api/v1/tickets")
register_paths(PATHS)


def _body():
    return json_body()


def _at(data, key="at", *, now, previous=None):
    """The time an action happened: given as ISO 8601 with a zone, else now; core/action_time.py's rule."""
    value = data.get(key)
    if value in (None, ""):
        return now
    try:
        at = parse_datetime(str(value))  # core/inputs.py: the zone required, years 1900–2100
    except ValueError as exc:
        raise ValidationError(str(exc), field=key) from None
    return action_time.check(at, now=now, previous=previous, field=key)


def _department(code, field="department"):
    return require_by_code(code, field=field)


def _load(ticket_id):
    ticket = db.session.get(Ticket, ticket_id) or abort(404)
    if not access.can_view(api_user(), ticket):
        abort(404)
    return ticket


def _out(ticket, status=200):
    db.session.refresh(ticket)
    return jsonify(represent(ticket, api_user(), utcnow())), status


@bp.post("")
@roles_required(*DESK)
def create():
    data, now = _body(), utcnow()
    received_at = _at(data, "received_at", now=now)
    # the 201 is made from what the intake wrote, not read back (core/db.py keep_written; issue 19 item 4)
    with action_time.as_of(received_at, now=now), keep_written() as written:
        ticket = intake.create_ticket(data, channel=data.get("channel") or "phone", received_at=received_at,
                                      now=now, actor=api_user(), operator=api_user(),
                                      call=cti_console.call_for_link(data.get("call_id")))
        return jsonify(represent(ticket, api_user(), now, written=written)), 201


@bp.get("")
@staff_required
def index():
    overdue = request.args.get("overdue")
    if overdue not in (None, "", "true", "false"):
        raise ValidationError("overdue 应为 true 或 false", field="overdue")
    now = utcnow()
    items = visible(api_user(), status=request.args.get("status") or None,
                    department=request.args.get("department") or None,
                    overdue={"true": True, "false": False}.get(overdue), now=now)
    return jsonify(items=[represent(t, api_user(), now, brief=True) for t in items])


@bp.get("/<int:ticket_id>")
@staff_required
def show(ticket_id):
    return jsonify(represent(_load(ticket_id), api_user(), utcnow()))


def _act(ticket_id, action, fn):
    """Load the ticket, ask hotline.access whether this caller may take `action`, then run it at the time
    the body gives (`at`: not in the future, not before the ticket's previous step; a 补录 is flagged)."""
    ticket = _load(ticket_id)
    access.require_act(api_user(), ticket, action)
    data, now = _body(), utcnow()
    at = _at(data, now=now, previous=audit.last_at(ENTITY, ticket.id))
    with action_time.as_of(at, now=now):
        fn(ticket, data, api_user(), at)
    return _out(ticket)


def _merge(t, d, u, at):
    ids = d.get("duplicates")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ValidationError("duplicates 应为工单 id 列表", field="duplicates")
    callback.merge(t, [_load(i) for i in ids], now=at, actor=u)


def _close_no_contact(t, d, u, at):
    note = d.get("note") or ""
    if not isinstance(note, str):
        raise ValidationError("note 应为文本", field="note")
    no_contact.close_no_contact(t, note=note, now=at, actor=u)


# Each step on a ticket, POST /api/v1/tickets/<ticket_id>/<path>: path → (the action hotline/access.py checks, the
# use case run as fn(ticket, body, user, at)). The OpenAPI text of each: hotline/openapi.py.
STEPS = {
    "dispatch": ("dispatch", lambda t, d, u, at: intake.dispatch(
        t, _department(d.get("department")), co_departments=[_department(c, "co_departments")
                                                            for c in d.get("co_departments") or []],
        now=at, actor=u, note=d.get("note") or "")),
    "direct-close": ("direct_close", lambda t, d, u, at: intake.direct_close(t, answer=d.get("answer"), now=at, actor=u)),
    "transfer": ("transfer", lambda t, d, u, at: intake.transfer_emergency(
        t, to=str(d.get("to") or ""), now=at, actor=u, note=d.get("note") or "", reference=d.get("reference") or "",
        counterpart=d.get("counterpart") or "")),
    "transfer-feedback": ("transfer_feedback", lambda t, d, u, at: linkage.record_service_feedback(
        t, transfer_id=d.get("transfer"), feedback=d.get("feedback"), now=at, actor=u)),
    "handover-feedback": ("handover_feedback", lambda t, d, u, at: linkage.feed_back_to_110(
        t, feedback=d.get("feedback"), now=at, actor=u)),
    "not-accept": ("not_accept", lambda t, d, u, at: scope.not_accept(
        t, channel=d.get("channel"), other=d.get("other") or "", now=at, actor=u)),
    "refer-disclosure": ("refer_disclosure", lambda t, d, u, at: scope.refer_disclosure(t, now=at, actor=u)),
    "sign": ("sign", lambda t, d, u, at: handling.sign(t, now=at, actor=u)),
    "return": ("return", lambda t, d, u, at: returns.request_return(t, reason=d.get("reason"), now=at, actor=u)),
    # the 12345 centre's review of a pending 退单: {"upheld": true|false, "note": "…"} (a reason if false)
    "return-review": ("return_review", lambda t, d, u, at: returns.review_return(
        t, upheld=d.get("upheld"), note=d.get("note"), now=at, actor=u)),
    "extension-request": ("extension_request", lambda t, d, u, at: extensions.request_extension(
        t, hours=d.get("hours"), reason=d.get("reason"), now=at, actor=u)),
    "extension-decision": ("extension_decision", lambda t, d, u, at: extensions.decide_extension(
        t, approve=d.get("approve") is True, note=d.get("note") or "", now=at, actor=u)),
    "co-part": ("co_part", lambda t, d, u, at: handling.add_co_part(t, u.department, part=d.get("part"), now=at,
                                                                    actor=u)),
    "reply": ("reply", lambda t, d, u, at: replies.reply(t, text=d.get("text"), now=at, actor=u)),
    "sign-off": ("sign_off", lambda t, d, u, at: replies.sign_off(
        t, approve=d.get("approve") is True, note=d.get("note") or "", now=at, actor=u)),
    "urge": ("urge", lambda t, d, u, at: handling.urge(t, kind=d.get("kind"), note=d.get("note"), now=at, actor=u)),
    "callback": ("callback", lambda t, d, u, at: callback.record_callback(
        t, reached=d.get("reached") is True, resolved=d.get("resolved"), satisfaction=d.get("satisfaction"),
        comment=d.get("comment") or "", now=at, actor=u)),
    "review": ("review", lambda t, d, u, at: callback.review(
        t, reopen=d.get("reopen") is True, reason=d.get("reason"), now=at, actor=u)),
    "merge": ("merge", _merge),
    "close-no-contact": ("close_no_contact", _close_no_contact),
    # 首次联系诉求人 (hotline/contact.py): the lead department's staff or approver, at `at`
    "contact": ("contact", lambda t, d, u, at: contact.record_contact(
        t, note=d.get("note") if d.get("note") is not None else "", now=at, actor=u)),
    # two-level dispatch (hotline/tiers.py): {"department": "<code>", "note": "…"}; {"approve": true|false, "note": "…"}
    "redispatch": ("redispatch", lambda t, d, u, at: tiers.redispatch(
        t, _department(d.get("department")), note=d.get("note") or "", now=at, actor=u)),
    "subcentre-review": ("subcentre_review", lambda t, d, u, at: tiers.review_reply(
        t, approve=d.get("approve"), note=d.get("note"), now=at, actor=u)),
    # 督办单 (hotline/supervision.py): the same services and access rules as the ticket page
    "supervision-orders": ("supervise", lambda t, d, u, at: supervision.issue(t, reason=d.get("reason"), now=at,
                                                                              actor=u)),
}


def _step(action, fn):
    def view(ticket_id):
        return _act(ticket_id, action, fn)
    view.__name__ = view.__qualname__ = action
    view.defined_in = "STEPS"  # type: ignore[attr-defined]  # where docs/routes.md points: the table, not a def
    return staff_required(view)


for _path, (_action, _fn) in STEPS.items():
    bp.add_url_rule(f"/<int:ticket_id>/{_path}", endpoint=_action, view_func=_step(_action, _fn), methods=["POST"])


# ---- 督办单 (hotline/supervision.py): the same services and access rules as the ticket page ----------

@bp.get("/supervision-orders")
@roles_required(Role.SUPERVISOR, Role.ADMIN, Role.STAFF, Role.APPROVER)
def supervision_orders():
    now = utcnow()
    orders = supervision.listing(api_user(), state=request.args.get("state") or "open", now=now)
    return jsonify(items=[supervision.view(o, now) for o in orders])


@bp.post("/<int:ticket_id>/supervision-orders/<int:order_id>/feedback")
@staff_required
def supervision_feedback(ticket_id, order_id):
    return _act(ticket_id, "supervision_feedback", lambda t, d, u, at: supervision.feedback(
        supervision.order_of(t, order_id), text=d.get("feedback"), now=at, actor=u))


# Knowledge-base answers for 直接办结 (issue 16 item 9): the ticket page's list, same rule and service.
register_paths({"/tickets/{ticket_id}/knowledge": {"get": {
    "summary": "Published, valid knowledge-base answers for 直接办结 of a new ticket (q: search other answers)",
    "security": [{"bearer": []}], "parameters": [path_id("ticket_id"), query("q", text(100))],
    "responses": {"200": {"description": "Answers", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"query": {"type": "string"}, "items": {"type": "array", "items": {
            "type": "object", "properties": {"id": ID, "question": {"type": "string"},
                                             "answer": {"type": "string"}}}}}}}}},
                  **error_responses(400, 401, 403, 404, 409)}}}})


@bp.get("/<int:ticket_id>/knowledge")
@staff_required
def knowledge_answers(ticket_id):
    from hotline import kb_answers
    ticket = _load(ticket_id)
    if not access.can_act(api_user(), ticket, "direct_close"):
        abort(403)
    if not kb_answers.may_use(api_user(), ticket):
        raise DomainError("只有新受理（待派单）的工单可以直接办结")
    query_text, answers = kb_answers.answers_for(ticket, now=utcnow(), query=request.args.get("q"))
    return jsonify(query=query_text, items=[{"id": e.id, "question": e.question, "answer": e.answer,
                                             "valid_until": e.valid_until.isoformat() if e.valid_until else None}
                                            for e in answers])


from hotline import hotspot_api  # noqa: E402,F401  (/api/v1/tickets/hotspots on this blueprint)
