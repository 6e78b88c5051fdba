"""12345 pages: the operator console, dispatch/department/callback queues and the ticket page."""


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.calendar.service import get_schedule
from core.clocks.service import open_urgency, urgency_of
from core.db import utcnow
from core.departments.models import Department
from core.departments.service import active_departments, get_by_code
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.forms import form_ids
from core.idempotency import submits_once
from hotline import (
    access,
    callback,
    console_form,
    contact,
    cti,
    cti_console,
    extensions,
    handling,
    intake,
    kb_answers,
    linkage,
    mail_intake,
    no_contact,
    reply,
    returns,
    rounds,
    scope,
    sms_thread,
    suggest,
    supervision,
    tiers,
)
from hotline.access import DESK, HANDLERS
from hotline.catalogue import SYNONYMS
from hotline.common import clock
from hotline.models import Category, Ticket
from hotline.queries import (
    CALLBACK_QUEUE,
    DEPARTMENT_QUEUE,
    DISPATCH_QUEUE,
    STEP_LABELS,
    caller_for,
    current_clock,
    duplicate_hints,
    in_queue,
    timeline,
)
from hotline.sla import MAX_EXTENSION_HOURS, MAX_EXTENSION_WORKDAYS, TYPES, URGENCIES, handling_verdict, urgency_badge

bp = Blueprint("hotline", __name__, url_prefix="/hotline")


@bp.get("/")
def index():
    if current_user.is_authenticated and current_user.role in DESK:
        return redirect(url_for(".console"))
    if current_user.is_authenticated and current_user.role in HANDLERS:
        return redirect(url_for(".queue"))
    return render_template("hotline/index.html")


def _leaf_categories():
    return Category.query.filter_by(level=3, active=True).order_by(Category.code).all()


@bp.route("/console", methods=["GET", "POST"])
@roles_required(*DESK)
@submits_once
def console():
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        now = utcnow()
        channel = "110" if values.get("channel") == "110" else "phone"  # 110 转来 (国办发〔2022〕12号)
        try:
            console_form.read_form(values, _leaf_categories())
            call = cti_console.call_for_link(values.get("call_id"))  # the call answered here, if any
            ticket = intake.create_ticket(values, channel=channel, received_at=now, now=now, actor=current_user,
                                          operator=current_user, call=call)
        except ValidationError as err:
            errors = err.fields or {"form": err.message}
        else:
            flash(f"已受理 {ticket.number}", "success")
            return redirect(url_for(".ticket", ticket_id=ticket.id))
    return console_page(errors, values)


def console_page(errors, values, extension_typed=None):
    """The console (400 with the errors, everything typed kept), with the operator's extension for the screen-pop."""
    return render_template("hotline/console.html", categories=_leaf_categories(), types=TYPES, urgencies=URGENCIES,
                           errors=errors, values=values, synonyms=SYNONYMS,
                           extension=cti_console.extension_of(current_user), extension_typed=extension_typed,
                           call=cti_console.linked_call(values.get("call_id"))), (400 if errors else 200)


@bp.get("/console/caller")
@roles_required(*DESK)
def console_caller():
    phone = (request.args.get("caller_phone") or "").strip()
    return render_template("hotline/_caller.html", tickets=suggest.caller_history(phone), phone=phone)


@bp.get("/console/suggest")
@roles_required(*DESK)
def console_suggest():
    now = utcnow()
    args = request.args
    code = (args.get("category") or "").split(" ")[0]
    dep, reason = suggest.department(code, args.get("content", ""), now)
    dups = suggest.duplicates(phone=(args.get("caller_phone") or "").strip(), category_code=code,
                              address=args.get("address", ""), now=now)
    from hotline.knowledge import search
    answers = search(args.get("content", ""), today=now.astimezone(get_schedule().tz).date(), limit=3)
    return render_template("hotline/_suggest.html", department=dep, reason=reason, duplicates=dups,
                           emergency=suggest.emergency(args.get("content", "")), answers=answers)


def queue_filter(args):
    """A hotline queue's filter from query parameters, each checked (unknown values dropped): type (咨询, 投诉 …)
    and urgency (正常/临期/超期 of the ticket's clock). The queue pages and the filters staff save
    (core/saved_filters.py) read it through this one function."""
    from core.worktime import Urgency

    out = {}
    if args.get("type") in TYPES:
        out["type"] = args["type"]
    if args.get("urgency") in {u.value for u in Urgency}:
        out["urgency"] = args["urgency"]
    return out


def _rows(query, now, chosen=None):
    chosen = chosen or {}
    if chosen.get("type"):
        query = query.filter(Ticket.type == chosen["type"])
    rows = [(t, current_clock(t)) for t in query]
    rows = [(t, c, urgency_of(c, now) if c else None) for t, c in rows]
    if chosen.get("urgency"):
        rows = [r for r in rows if r[2] is not None and r[2].value == chosen["urgency"]]
    rows.sort(key=lambda r: (r[1] is None, r[1].due_at if r[1] else r[0].received_at))
    return rows


@bp.get("/dispatch")
@roles_required(*DESK)
def dispatch_queue():
    now, chosen = utcnow(), queue_filter(request.args)
    return _queue_page("dispatch", title="派单队列（新受理、退回、重办）", rows=_rows(in_queue(DISPATCH_QUEUE), now, chosen),
                       bulk=False, pending_returns=len(returns.pending_list()), filter_queue="hotline_dispatch",
                       has_subcentres=bool(tiers.subcentres()),
                       chosen=chosen)


def _queue_page(live_queue, **context):
    """A queue page; only its list when the live queue reloads it (htmx: HX-Request), hotline/live.py."""
    template = "hotline/_queue_list.html" if request.headers.get("HX-Request") else "hotline/queue.html"
    return render_template(template, live_queue=live_queue, types=TYPES, urgency_badge=urgency_badge, **context)


@bp.get("/returns")
@roles_required(*DESK)
def return_queue():
    """退单待审核: departments' returns the 12345 centre has not yet decided (hotline/returns.py)."""
    return render_template("hotline/returns.html", rows=returns.pending_list())


@bp.get("/subcentres")
@roles_required(*DESK)
def subcentres():
    """分中心在办: what each district sub-centre holds, with its own clocks (two-level dispatch, hotline/tiers.py)."""
    return render_template("hotline/subcentres.html", rows=tiers.holdings(utcnow()))


@bp.get("/callbacks")
@roles_required(*DESK)
def callbacks():
    return _queue_page("callback", title="回访队列", rows=_rows(in_queue(CALLBACK_QUEUE), utcnow()), bulk=False)


@bp.get("/queue")
@roles_required(*HANDLERS)
def queue():
    now = utcnow()
    chosen = queue_filter(request.args)
    return _queue_page("department", title="部门工单队列", rows=_rows(in_queue(DEPARTMENT_QUEUE, current_user), now, chosen),
                       bulk=True, filter_queue="hotline_queue", chosen=chosen)


@bp.post("/queue/sign")
@roles_required(*HANDLERS)
def bulk_sign():
    now, signed, failed = utcnow(), 0, []
    for ticket_id in form_ids("ticket"):
        ticket = db.session.get(Ticket, ticket_id)
        if ticket is None or not access.can_act(current_user, ticket, "sign"):
            continue
        try:
            handling.sign(ticket, now=now, actor=current_user)
            signed += 1
        except DomainError as err:
            db.session.rollback()
            failed.append(f"{ticket.number}：{err.message}")
    flash(f"已签收 {signed} 件。" + ("；".join(failed) if failed else ""), "success" if not failed else "warning")
    return redirect(url_for(".queue"))


def _load(ticket_id):
    ticket = db.session.get(Ticket, ticket_id) or abort(404)
    if not access.can_view(current_user, ticket):
        abort(404)
    return ticket


@bp.get("/tickets/<int:ticket_id>")
@roles_required(*(DESK + HANDLERS))
def ticket(ticket_id):
    return _page(_load(ticket_id))


def _page(t, kept=None):
    """The ticket page; `kept` = the refused action and what the user typed in its form, put back in the form
    (static/js/kept_form.js) so that an error never costs the typed text."""
    now = utcnow()
    dep, reason = suggest.department(t.category_code, t.content, now)
    # the citizen's conversations (e-mail address, SMS number, their messages): the desk's, as their replies are
    desk = access.sees_callers(current_user)
    thread = mail_intake.thread_of(t) if desk else None
    sms = sms_thread.thread_of(t) if desk else None
    sms_messages = mail_intake.mails_of(t, "sms") if sms else []
    return render_template("hotline/ticket.html", mail_thread=thread,
                           sms_thread=sms, sms_messages=sms_messages, sms_delivery=sms_thread.delivery_of(sms_messages),
                           sms_max=sms_thread.MAX_REPLY, sms_open=bool(sms) and sms_thread.takes_answers(t),
                           mail_token=mail_intake.token_of(t, thread) if thread else "",
                           mails=mail_intake.mails_of(t) if thread else [], t=t, clock=current_clock(t), now=now, kept=kept,
                           verdict=handling_verdict(clock(t, "handling")),
                           urgency=open_urgency(current_clock(t), now),
                           caller=caller_for(current_user, t),
                           departments=[d for d in active_departments() if d.kind != tiers.CENTRE],
                           suggestion=(dep, reason), actions=access.available_actions(current_user, t),
                           satisfaction=callback.SATISFACTION,
                           duplicates=duplicate_hints(current_user, t, now),
                           emergency=suggest.emergency(t.content), types=TYPES, urgency_badge=urgency_badge, events=timeline(t),
                           step_labels=STEP_LABELS, returns=returns.history(t),
                           return_open=returns.refusal(t, now) is None,
                           extension_expired=extensions.expired(t, now) is not None,
                           max_extension_workdays=MAX_EXTENSION_WORKDAYS, max_extension_hours=MAX_EXTENSION_HOURS,
                           transfers=linkage.transfers(t), services=linkage.EMERGENCY, transferable=linkage.transferable(t),
                           scope_channels=scope.CHANNELS, channels=intake.CHANNELS,
                           disclosure=scope.disclosure_link(t, now) if desk else None,
                           contact_clock=clock(t, "first_contact"),
                           supervision=supervision.panel(current_user, t, now), rounds=rounds.of_ticket(t),
                           kb=kb_answers.offered(current_user, t, now=now, query=request.args.get("kb")),
                           calls=cti_console.calls_of(t), call_label=cti.label, **tiers.page_context(t))


def _dep(name="department"):
    dep = get_by_code(request.form.get(name))
    if dep is None:
        raise ValidationError("请选择承办部门", field=name)
    return dep


def _hours():
    try:
        return float(request.form.get("hours", ""))
    except ValueError:
        raise ValidationError("延期时长应为数字（工作小时）", field="hours") from None


ACTIONS = {
    # name: (who may: "desk" | "lead" | "any", done message, call)
    "dispatch": ("desk", "已派单", lambda t, f, n, u: intake.dispatch(
        t, _dep(), co_departments=[d for d in Department.query.filter(Department.code.in_(f.getlist("co")))],
        now=n, actor=u)),
    "direct_close": ("desk", "已直接办结，转入回访", lambda t, f, n, u: intake.direct_close(t, answer=f.get("answer"),
                                                                                 now=n, actor=u)),
    "transfer": ("desk", "已转警/转急救并记录", lambda t, f, n, u: intake.transfer_emergency(
        t, to=f.get("to", ""), now=n, actor=u, note=f.get("note", ""), reference=f.get("reference", ""),
        counterpart=f.get("counterpart", ""))),
    "transfer_feedback": ("desk", "已登记转接反馈", lambda t, f, n, u: linkage.record_service_feedback(
        t, transfer_id=f.get("transfer") or None, feedback=f.get("feedback"), now=n, actor=u)),
    "handover_feedback": ("desk", "已登记向 110 反馈的办理结果", lambda t, f, n, u: linkage.feed_back_to_110(
        t, feedback=f.get("feedback"), now=n, actor=u)),
    "not_accept": ("desk", "已不予受理（有来电号码的已短信告知其他渠道）", lambda t, f, n, u: scope.not_accept(
        t, channel=f.get("channel", ""), other=f.get("other", ""), now=n, actor=u)),
    "refer_disclosure": ("desk", "已转为政府信息公开申请（有来电号码的已短信发送申请表链接）", lambda t, f, n, u: scope.refer_disclosure(
        t, now=n, actor=u)),
    "sign": ("lead", "已签收", lambda t, f, n, u: handling.sign(t, now=n, actor=u)),
    "return": ("lead", "已退单", lambda t, f, n, u: returns.request_return(t, reason=f.get("reason"), now=n, actor=u)),
    "extension_request": ("lead", "已申请延期", lambda t, f, n, u: extensions.request_extension(
        t, hours=_hours(), reason=f.get("reason"), now=n, actor=u)),
    "extension_decision": ("any", "已审批延期", lambda t, f, n, u: extensions.decide_extension(
        t, approve=f.get("approve") == "1", note=f.get("note", ""), now=n, actor=u)),
    "co_part": ("any", "已提交协办意见", lambda t, f, n, u: handling.add_co_part(
        t, u.department, part=f.get("part"), now=n, actor=u) if u.department else None),
    "reply": ("lead", "已答复", lambda t, f, n, u: reply.reply(t, text=f.get("text"), now=n, actor=u)),
    "sign_off": ("lead", "已处理签发", lambda t, f, n, u: reply.sign_off(
        t, approve=f.get("approve") == "1", note=f.get("note", ""), now=n, actor=u)),
    "urge": ("desk", "已记录并通知部门", lambda t, f, n, u: handling.urge(t, kind=f.get("kind"), note=f.get("note"),
                                                                   now=n, actor=u)),
    "callback": ("desk", "已记录回访", lambda t, f, n, u: callback.record_callback(
        t, reached=f.get("reached") == "1", resolved={"1": True, "0": False}.get(f.get("resolved")),
        satisfaction=f.get("satisfaction") or None, comment=f.get("comment", ""), now=n, actor=u)),
    "review": ("any", "已研判", lambda t, f, n, u: callback.review(t, reopen=f.get("reopen") == "1",
                                                                reason=f.get("reason"), now=n, actor=u)),
    "merge": ("desk", "已合并", lambda t, f, n, u: callback.merge(
        t, [_load(i) for i in form_ids("duplicates")], now=n, actor=u)),
    "close_no_contact": ("desk", "已按无联系电话办结", lambda t, f, n, u: no_contact.close_no_contact(
        t, note=f.get("note", ""), now=n, actor=u)),
    "return_review": ("desk", "已审核退单", lambda t, f, n, u: returns.review_return(
        t, upheld={"1": True, "0": False}.get(f.get("upheld")), note=f.get("note", ""), now=n, actor=u)),
    "contact": ("lead", "已记录首次联系诉求人", lambda t, f, n, u: contact.record_contact(
        t, note=f.get("note", ""), now=n, actor=u)),
}
ACTIONS.update({  # two-level dispatch (hotline/tiers.py): the sub-centre's 二次派单 and its review of the reply
    "redispatch": ("any", "已二次派单", lambda t, f, n, u: tiers.redispatch(
        t, get_by_code(f.get("department")), note=f.get("note", ""), now=n, actor=u)),
    "subcentre_review": ("any", "已审核答复", lambda t, f, n, u: tiers.review_reply(
        t, approve={"1": True, "0": False}.get(f.get("approve")), note=f.get("note", ""), now=n, actor=u)),
})
ACTIONS["mail_reply"] = ("desk", "邮件已进入发送队列", lambda t, f, n, u: mail_intake.reply_by_mail(
    t, text=f.get("text"), now=n, actor=u))  # issue 20: the reply in the ticket's mail thread
ACTIONS["sms_reply"] = ("desk", "短信已进入发送队列", lambda t, f, n, u: sms_thread.reply_by_sms(
    t, text=f.get("text"), now=n, actor=u))  # issue 20: the reply in the ticket's SMS conversation
ACTIONS.update({  # 督办单 (hotline/supervision.py)
    "supervise": ("any", "已下发督办单", lambda t, f, n, u: supervision.issue(t, reason=f.get("reason"), now=n,
                                                                          actor=u)),
    "supervision_feedback": ("any", "已提交督办反馈", lambda t, f, n, u: supervision.feedback(
        supervision.order_of(t, f.get("order")), text=f.get("feedback"), now=n, actor=u)),
})


@bp.post("/tickets/<int:ticket_id>/<action>")
@roles_required(*(DESK + HANDLERS))
@submits_once
def act(ticket_id, action):
    if action not in ACTIONS:
        abort(404)
    t = _load(ticket_id)
    _, done, fn = ACTIONS[action]
    access.require_act(current_user, t, action)
    try:
        fn(t, request.form, utcnow(), current_user)
    except DomainError as err:
        db.session.rollback()
        flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
        # the page again (400), with what was typed back in the refused form — nothing typed is lost
        typed = {k: request.form.getlist(k) for k in request.form if k != "csrf_token"}
        return _page(_load(ticket_id), kept={"action": action, "fields": typed}), 400
    flash(f"{t.number}：{done}。", "success")
    return redirect(url_for(".ticket", ticket_id=t.id))


from hotline import cti_views, linkage_views  # noqa: E402,F401  (/hotline/linkage, /live, /calls on this blueprint)
