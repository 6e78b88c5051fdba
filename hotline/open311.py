"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2, JSON and XML.

Service codes are the catalogue's third-level categories, groups its first level. Callers' personal
data never leaves through this API (issue 13): no caller fields; `description` and `status_notes` are
the request and reply texts of the ticket's public record as the reviewer published them (masked and
stored once, never re-masked here), and before publication — or when publication was refused or
withdrawn — a request shows its service, status and dates only; the address is cut to the road or
estate and the coordinates snapped to a grid (public_log.places)."""
from datetime import datetime, timedelta
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import Blueprint, Response, jsonify, request, url_for

from core.auth.models import Role
from core.auth.service import user_for_token
from core.calendar.service import get_schedule
from core.db import utcnow
from core.errors import DomainError
from core.extensions import csrf, db
from core.idempotency import idempotent
from core.inputs import YEAR_MAX, YEAR_MIN, check_year
from hotline import intake
from hotline.models import Category, Ticket
from hotline.queries import current_clock
from public_log.queries import published_records

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)

FORMATS = {"json": "application/json", "xml": "text/xml"}
CREATORS = (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
ATTRIBUTES = {  # service definitions for categories that need extra fields
    "030101": [{"variable": True, "code": "noise_time", "datatype": "singlevaluelist", "required": True,
                "datatype_description": "噪声发生的时段", "order": 1, "description": "噪声时段",
                "values": [{"key": "night", "name": "夜间（22:00–6:00）"}, {"key": "day", "name": "白天"}]}],
}
MAX_DAYS, MAX_RESULTS = 90, 1000


class Open311Error(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code, self.description = code, description


def _w3c(value):
    return value.astimezone(get_schedule().tz).isoformat(timespec="seconds") if value else None


def _xml(root, item_name, items):
    top = Element(root)
    for item in items:
        node = SubElement(top, item_name)
        _fill(node, item)
    return tostring(top, encoding="unicode", xml_declaration=True)


def _fill(node, data):
    """Flat records only: each key an element, booleans as true/false, None as an empty element."""
    for key, value in data.items():
        child = SubElement(node, key)
        child.text = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))


def _respond(fmt, root, item_name, items, status=200):
    if fmt == "json":
        return jsonify(items), status
    return Response(_xml(root, item_name, items), status=status, mimetype="text/xml")


@bp.errorhandler(Open311Error)
def _error(err):
    fmt = request.view_args.get("fmt", "json") if request.view_args else "json"
    return _respond(fmt if fmt in FORMATS else "json", "errors", "error",
                    [{"code": err.code, "description": err.description}], err.code)


def _fmt(fmt):
    if fmt not in FORMATS:
        raise Open311Error(404, "format must be json or xml")
    return fmt


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    _fmt(fmt)
    data = {"changeset": "2026-11-28T00:00:00+08:00", "contact": "盐城市亭湖区 12345 政务服务便民热线",
            "key_service": "API keys are API tokens issued by the district (flask tokens create)",
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2",
                           "url": url_for(".discovery", fmt="json", _external=True).rsplit("/", 1)[0],
                           "changeset": "2026-11-28T00:00:00+08:00", "type": "production",
                           "formats": list(FORMATS.values())}]}
    if fmt == "json":
        return jsonify(data)
    top = Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        SubElement(top, key).text = data[key]
    eps = SubElement(top, "endpoints")
    ep = SubElement(eps, "endpoint")
    for key in ("specification", "url", "changeset", "type"):
        SubElement(ep, key).text = data["endpoints"][0][key]
    formats = SubElement(ep, "formats")
    for f in FORMATS.values():
        SubElement(formats, "format").text = f
    return Response(tostring(top, encoding="unicode", xml_declaration=True), mimetype="text/xml")


def _service(c, groups):
    return {"service_code": c.code, "service_name": c.name, "description": f"{groups.get(c.code[:2], '')} / {c.name}",
            "metadata": c.code in ATTRIBUTES, "type": "realtime", "keywords": c.name, "group": groups.get(c.code[:2])}


@bp.get("/services.<fmt>")
def services(fmt):
    _fmt(fmt)
    groups = dict(db.session.query(Category.code, Category.name).filter(Category.level == 1))
    items = [_service(c, groups) for c in Category.query.filter_by(level=3, active=True).order_by(Category.code)]
    return _respond(fmt, "services", "service", items)


@bp.get("/services/<code>.<fmt>")
def service_definition(code, fmt):
    _fmt(fmt)
    if code not in ATTRIBUTES:
        raise Open311Error(404, f"service_code {code} has no service definition")
    data = {"service_code": code, "attributes": ATTRIBUTES[code]}
    if fmt == "json":
        return jsonify(data)
    top = Element("service_definition")
    SubElement(top, "service_code").text = code
    attrs = SubElement(top, "attributes")
    for a in ATTRIBUTES[code]:
        node = SubElement(attrs, "attribute")
        for key in ("variable", "code", "datatype", "required", "datatype_description", "order", "description"):
            SubElement(node, key).text = str(a[key]).lower() if isinstance(a[key], bool) else str(a[key])
        values = SubElement(node, "values")
        for v in a["values"]:
            vn = SubElement(values, "value")
            SubElement(vn, "key").text = v["key"]
            SubElement(vn, "name").text = v["name"]
    return Response(tostring(top, encoding="unicode", xml_declaration=True), mimetype="text/xml")


def _request_json(t, record):
    """One service request as the public may see it; `record` is the ticket's published record, or
    None: then service, status and dates only."""
    c = current_clock(t)
    handling = c if c is not None and c.name == "handling" else None
    description, status_notes = (record.request_text, record.reply_text) if record else (None, None)
    address, lat, lng = (record.place, record.lat, record.lng) if record else (None, None, None)
    return {"service_request_id": t.number, "status": "closed" if t.status == "closed" else "open",
            "status_notes": status_notes, "service_name": t.category.name if t.category else None,
            "service_code": t.category_code, "description": description,
            "agency_responsible": t.department.full_name if t.department else None, "service_notice": None,
            "requested_datetime": _w3c(t.received_at),
            "updated_datetime": _w3c(max(x for x in (t.received_at, t.dispatched_at, t.signed_at, t.replied_at,
                                                     t.closed_at) if x)),
            "expected_datetime": _w3c(handling.due_at) if handling else None,
            "address": address, "address_id": None, "zipcode": None, "lat": lat, "long": lng,
            "media_url": None}


def _requests_json(tickets):
    records = published_records("hotline", [t.id for t in tickets])
    return [_request_json(t, records.get(t.id)) for t in tickets]


def _parse_w3c(name):
    value = request.args.get(name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C datetime, e.g. 2026-11-01T00:00:00+08:00") from None
    if parsed.tzinfo is None:
        raise Open311Error(400, f"{name} must carry a time zone")
    try:
        check_year(parsed.year)  # and no date arithmetic can leave the calendar
    except ValueError:
        raise Open311Error(400, f"{name} must lie between the years {YEAR_MIN} and {YEAR_MAX}") from None
    return parsed


@bp.get("/requests.<fmt>")
def requests_list(fmt):
    _fmt(fmt)
    q = Ticket.query.filter(Ticket.merged_into_id.is_(None), Ticket.confidential.is_(False))
    ids = [i.strip() for i in (request.args.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        q = q.filter(Ticket.number.in_(ids))
    else:
        end = _parse_w3c("end_date") or utcnow()
        start = _parse_w3c("start_date") or end - timedelta(days=MAX_DAYS)
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > timedelta(days=MAX_DAYS):
            raise Open311Error(400, "start_date and end_date may not span more than 90 days")
        q = q.filter(Ticket.received_at >= start, Ticket.received_at <= end)
        codes = [c.strip() for c in (request.args.get("service_code") or "").split(",") if c.strip()]
        if codes:
            q = q.filter(Ticket.category_code.in_(codes))
        statuses = {s.strip() for s in (request.args.get("status") or "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed")
        if statuses == {"open"}:
            q = q.filter(Ticket.status != "closed")
        elif statuses == {"closed"}:
            q = q.filter(Ticket.status == "closed")
    items = _requests_json(q.order_by(Ticket.received_at.desc()).limit(MAX_RESULTS).all())
    return _respond(fmt, "service_requests", "request", items)


@bp.get("/requests/<rid>.<fmt>")
def request_one(rid, fmt):
    _fmt(fmt)
    t = Ticket.query.filter_by(number=rid, confidential=False).first()
    if t is None:
        raise Open311Error(404, f"service_request_id {rid} not found")
    return _respond(fmt, "service_requests", "request", _requests_json([t]))


@bp.get("/tokens/<token>.<fmt>")
def token(token, fmt):
    _fmt(fmt)
    raise Open311Error(404, "requests are created synchronously here; there are no pending tokens")


def _caller():
    """The scope of an Idempotency-Key here: the account of the api_key (core/idempotency.py)."""
    user = user_for_token(request.form.get("api_key", ""), now=utcnow())
    return f"user:{user.id}" if user is not None else None


def _key_refused(status, message):
    raise Open311Error(status, message)


@bp.post("/requests.<fmt>")
@idempotent(caller=_caller, conflict=_key_refused)
def create(fmt):
    _fmt(fmt)
    form = request.form
    now = utcnow()
    user = user_for_token(form.get("api_key", ""), now=now)
    if user is None or user.role not in CREATORS:
        raise Open311Error(403, "api_key is missing or not allowed to create requests")
    code = form.get("service_code", "")
    if db.session.get(Category, code) is None or len(code) != 6:
        raise Open311Error(400, "service_code not found")
    lat, lng, address = form.get("lat"), form.get("long"), form.get("address_string") or form.get("address_id")
    if not ((lat and lng) or address):
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    for attr in ATTRIBUTES.get(code, []):
        if attr["required"] and not form.get(f"attribute[{attr['code']}]"):
            raise Open311Error(400, f"attribute[{attr['code']}] is required")
    extra = "；".join(f"{a['description']}：{form.get('attribute[' + a['code'] + ']')}" for a in ATTRIBUTES.get(code, [])
                     if form.get(f"attribute[{a['code']}]"))
    name = " ".join(x for x in (form.get("last_name"), form.get("first_name")) if x).strip()
    data = {"type": "complaint", "category_code": code, "caller_phone": form.get("phone") or "",
            "caller_name": name, "anonymous": "" if name else "y", "address": address or "",
            "lat": lat, "lng": lng, "content": (form.get("description") or "").strip() or "（未填写描述）",
            "summary": extra}
    try:
        ticket = intake.create_ticket(data, channel="open311", received_at=now, now=now, actor=user, operator=user)
    except DomainError as err:
        raise Open311Error(400, err.message) from None
    return _respond(fmt, "service_requests", "request",
                    [{"service_request_id": ticket.number, "service_notice": "已受理，请保存工单编号查询进度",
                      "account_id": None}])
