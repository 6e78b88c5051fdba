"""热点预警 pages (issue 20 item 4), for supervisors and admins: the hot spots with a chart of the clusters over
time and a map (Leaflet on the configured tile server, else a plain coordinate plot), and each hot spot's page
with its tickets and the one-click 合并办理 and 联合派单."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required
from core.calendar.service import get_schedule, local_date
from core.db import utcnow
from core.departments.models import Department
from core.departments.service import active_departments, get_by_code
from core.errors import DomainError, ValidationError
from core.extensions import db
from core.security import CONTENT_SECURITY_POLICY, policy_with_images
from hotline import hotspot_actions, hotspot_queries, suggest
from hotline.access import HOTSPOT_ROLES
from hotline.hotspot_models import Hotspot, HotspotRun
from hotline.hotspots import settings, title
from hotline.sla import TYPES

bp = Blueprint("hotline_hotspots", __name__, url_prefix="/hotline/hotspots")
# A Leaflet tile URL template: http(s), an optional {s}. subdomain, a path with {z}, {x} and {y}; or a path on
# this server. Anything else is no tile server (the page draws the plain coordinate plot).
_TILES = re.compile(r"(?P<origin>https?://(?:\{s\}\.)?[A-Za-z0-9.-]+(?::\d{1,5})?)?/[A-Za-z0-9._~/{}%@?&=+-]*")


def tile_server() -> dict[str, str] | None:
    """The configured tile server for the map (HOTSPOT_TILE_URL, HOTSPOT_TILE_ATTRIBUTION) and its origin for
    the page's Content-Security-Policy; None when unset or not a tile URL template."""
    url = (current_app.config.get("HOTSPOT_TILE_URL") or "").strip()
    match = _TILES.fullmatch(url)
    if not match or not all(part in url for part in ("{z}", "{x}", "{y}")):
        return None
    origin = (match.group("origin") or "").replace("{s}.", "*.")
    return {"url": url, "attribution": current_app.config.get("HOTSPOT_TILE_ATTRIBUTION") or "", "origin": origin}


def _with_map(html: str, status: int = 200):
    """The page, its img-src opened to the tile server's origin when one is configured."""
    response = make_response(html, status)
    tiles = tile_server()
    if tiles and tiles["origin"]:
        base = current_app.config.get("CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        response.headers["Content-Security-Policy"] = policy_with_images(base, tiles["origin"])
    return response


def _load(hotspot_id: int) -> Hotspot:
    return db.session.get(Hotspot, hotspot_id) or abort(404)


def _link(hotspot_id: int) -> str:
    return url_for(".show", hotspot_id=hotspot_id)


@bp.get("")
@roles_required(*HOTSPOT_ROLES)
def index():
    now, state = utcnow(), request.args.get("state") or "open"
    s = settings()
    hotspots = hotspot_queries.listing(state)
    data = {"chart": hotspot_queries.chart(hotspots, today=local_date(now), days=s.chart_days, tz=get_schedule().tz),
            "points": hotspot_queries.map_points(hotspots, _link)}
    last = HotspotRun.query.order_by(HotspotRun.now.desc(), HotspotRun.id.desc()).first()
    return _with_map(render_template(
        "hotline/hotspots.html", hotspots=hotspots, state=state, filters=hotspot_queries.FILTERS, title=title,
        state_of=hotspot_queries.state_of, states=hotspot_queries.STATES, how=hotspot_queries.HOW, settings=s,
        last_run=last, data=data, tiles=tile_server()))


def _page(hotspot: Hotspot, kept: dict | None = None, status: int = 200):
    """A hot spot's page; `kept`: what the refused form held, shown again (nothing typed is lost)."""
    now, s = utcnow(), settings()
    tickets = hotspot_queries.members(hotspot)
    suggested, reason = suggest.department(hotspot.category_code, " ".join(t.content for t in tickets[:5]), now)
    data = {"chart": hotspot_queries.chart([hotspot], today=local_date(now), days=s.chart_days, tz=get_schedule().tz),
            "points": hotspot_queries.ticket_points(tickets, lambda i: url_for("hotline.ticket", ticket_id=i))}
    masters = hotspot_actions.open_tickets(tickets)
    return _with_map(render_template(
        "hotline/hotspot.html", h=hotspot, title=title(hotspot), tickets=tickets, masters=masters,
        mergeable=hotspot_actions.MERGEABLE, waiting=[t for t in tickets if t.status == "new"],
        state=hotspot_queries.state_of(hotspot), states=hotspot_queries.STATES, how=hotspot_queries.HOW,
        departments=active_departments(), suggestion=(suggested, reason), types=TYPES, settings=s, data=data,
        tiles=tile_server(), kept=kept or {}), status)


@bp.get("/<int:hotspot_id>")
@roles_required(*HOTSPOT_ROLES)
def show(hotspot_id: int):
    return _page(_load(hotspot_id))


def _department(name: str = "department") -> Department:
    department = get_by_code(request.form.get(name)) if request.form.get(name) else None
    if department is None:
        raise ValidationError("请选择主办部门", field=name)
    return department


def _act(hotspot_id: int, action: str, fn):
    hotspot = _load(hotspot_id)
    try:
        message, category = fn(hotspot)
    except DomainError as err:
        db.session.rollback()
        flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
        kept = {"action": action, "fields": {k: request.form.getlist(k) for k in request.form if k != "csrf_token"}}
        return _page(_load(hotspot_id), kept=kept, status=400)
    flash(message, category)
    return redirect(url_for(".show", hotspot_id=hotspot_id))


@bp.post("/<int:hotspot_id>/merge")
@roles_required(*HOTSPOT_ROLES)
def merge(hotspot_id: int):
    def run(hotspot):
        main, duplicates = hotspot_actions.merge_hotspot(hotspot, master=request.form.get("master"), now=utcnow(),
                                                         actor=current_user)
        return f"已将 {len(duplicates)} 件工单并入 {main.number} 合并办理，有来电号码的来电人已短信告知。", "success"
    return _act(hotspot_id, "merge", run)


@bp.post("/<int:hotspot_id>/dispatch")
@roles_required(*HOTSPOT_ROLES)
def dispatch(hotspot_id: int):
    def run(hotspot):
        lead = _department()
        co = Department.query.filter(Department.code.in_(request.form.getlist("co")), Department.active.is_(True)).all()
        done, failed = hotspot_actions.dispatch_hotspot(hotspot, lead, co_departments=co, now=utcnow(),
                                                        actor=current_user)
        text = f"已将 {len(done)} 件工单联合派给{lead.name}" + (f"（协办：{'、'.join(d.name for d in co)}）" if co else "")
        return text + "。" + (f"未派出：{'；'.join(failed)}" if failed else ""), "warning" if failed else "success"
    return _act(hotspot_id, "dispatch", run)
