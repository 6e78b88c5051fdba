"""Live pages and the console's CTI pages (issue 20): the event stream of a signed-in staff member, the operator's
extension (分机签入), the screen-pop of a call, and the call log. On the hotline blueprint (/hotline/…)."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core import live
from core.auth.guards import roles_required, staff_required
from core.db import utcnow
from core.errors import DomainError
from core.extensions import db
from hotline import access, cti, cti_console
from hotline.access import DESK
from hotline.cti_models import Call
from hotline.staff_views import bp, console_page


@bp.get("/live")
@staff_required
def live_stream():
    """text/event-stream of the channels this user may hear (hotline/access.py: live_channels)."""
    channels = access.live_channels(current_user)
    config = current_app.config
    # the body is read after the view returns and its request context is gone, the database session with it:
    # a stream holds a thread, never a database connection (it needs no context: core/live.py)
    body = live.stream(channels, redis_url=config["REDIS_URL"], lifetime=config["LIVE_STREAM_SECONDS"],
                       heartbeat=config["LIVE_HEARTBEAT_SECONDS"], max_streams=config["LIVE_MAX_STREAMS"])
    response = Response(body, mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return response


@bp.post("/console/extension")
@roles_required(*DESK)
def console_extension():
    """Sign in at an extension (or leave it: `leave`); back to the console, the typed extension kept on error."""
    now = utcnow()
    if request.form.get("leave"):
        cti_console.sign_out(current_user, now=now)
        flash("已签出分机，来电不再弹屏。", "success")
        return redirect(url_for(".console"))
    typed = (request.form.get("extension") or "").strip()
    try:
        previous = cti_console.sign_in(current_user, typed, now=now)
    except DomainError as err:
        return console_page({"extension": err.message}, {}, extension_typed=typed)
    flash(f"已签入分机 {typed}，该分机的来电将在本页弹屏。" + (f"（该分机原由 {previous} 签入，已转给您）" if previous else ""),
          "success")
    return redirect(url_for(".console"))


@bp.get("/console/calls/<int:call_id>")
@roles_required(*DESK)
def console_call(call_id):
    """The screen-pop of one call: its number and state, the caller's open tickets and history."""
    call = db.session.get(Call, call_id) or abort(404)
    return render_template("hotline/_call_pop.html", call=call, label=cti.label(call), causes=cti.CAUSES,
                           tickets=cti_console.caller_tickets(current_user, call.phone),
                           mine=call.user_id == current_user.id, linkable=call.ticket_id is None)


@bp.get("/calls")
@roles_required(*DESK)
def calls():
    """The call log (来电记录), newest first; ?phone= one caller's."""
    phone = cti.citizen_number(request.args.get("phone")) if request.args.get("phone") else None
    return render_template("hotline/calls.html", calls=cti_console.recent_calls(phone), label=cti.label,
                           phone=request.args.get("phone", ""), limit=cti_console.CALL_LOG_LIMIT)
