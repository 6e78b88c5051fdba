"""Department use cases: seed from the work plan, create and edit (admin)."""
import re
from datetime import datetime
from typing import Any

from core import audit
from core.audit import Actor
from core.db import unit_of_work
from core.departments.models import Department, default_doc_code
from core.departments.seed_data import ABOLISHED, department_rows
from core.errors import ValidationError
from core.extensions import db

EDITABLE = ("name", "full_name", "kind", "phone", "email", "address", "requires_signoff", "active",
            "reconsideration_body", "reconsideration_body_alt", "discloses", "fee_payee", "fee_bank", "fee_account",
            "fee_payment_note", "doc_code", "parent_id")
PAYMENT_FIELDS = ("fee_payee", "fee_bank", "fee_account")
_ACCOUNT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z -]{5,38}[0-9A-Za-z]$")


def _check_reconsideration_body(data: dict[str, Any]) -> None:
    """A letter is never issued in the name of the organ that would decide its own reconsideration."""
    body, name = (data.get("reconsideration_body") or "").strip(), (data.get("full_name") or "").strip()
    if "reconsideration_body" in data and not body:
        raise ValidationError("请填写行政复议机关", field="reconsideration_body")
    if body and body == name:
        raise ValidationError("行政复议机关不能是本机关自己（行政复议法第二十四条、第二十七条）",
                              field="reconsideration_body")


def _check_payment(data: dict[str, Any]) -> None:
    """The fee notice's payment channel (条例 Art. 42; 国办函〔2020〕109号): payee, bank and account together, or
    none of them (a free-text 缴费说明 may stand alone); an account is digits and letters, with spaces or
    hyphens between."""
    for k in (*PAYMENT_FIELDS, "fee_payment_note"):
        if k in data:
            data[k] = (data.get(k) or "").strip()
    given = [k for k in PAYMENT_FIELDS if data.get(k)]
    if given and len(given) < len(PAYMENT_FIELDS):
        missing = next(k for k in PAYMENT_FIELDS if not data.get(k))
        raise ValidationError("收款单位、开户行和账号须一并填写", field=missing)
    if data.get("fee_account") and not _ACCOUNT.fullmatch(data["fee_account"]):
        raise ValidationError("账号只能由数字、字母组成，可用空格或连字符分隔（8 到 40 位）", field="fee_account")


def _check_bodies(data: dict[str, Any]) -> None:
    """Each reconsideration body is never the organ itself, and a second body differs from the first."""
    if "reconsideration_body_alt" in data:
        data["reconsideration_body_alt"] = (data.get("reconsideration_body_alt") or "").strip()
    alt, name = data.get("reconsideration_body_alt") or "", (data.get("full_name") or "").strip()
    if alt and alt == name:
        raise ValidationError("行政复议机关不能是本机关自己（行政复议法第二十四条、第二十七条、第二十八条）",
                              field="reconsideration_body_alt")
    if alt and alt == (data.get("reconsideration_body") or "").strip():
        raise ValidationError("另一行政复议机关与第一个相同，请留空或填写不同的机关", field="reconsideration_body_alt")


def _check_doc_code(data: dict[str, Any], code: str, own_id: int | None = None) -> None:
    """The 发文机关代字 (GB/T 9704-2012 7.2.4) tells one organ's document numbers from another's: each organ's
    own, so two organs never print the same number (requests_module/numbering.py). Empty: the seeded default."""
    if "doc_code" not in data:
        return
    data["doc_code"] = text = re.sub(r"\s+", "", data.get("doc_code") or "")
    if len(text) > 20:
        raise ValidationError("发文机关代字最多 20 字", field="doc_code")
    mine = text or default_doc_code(code, data.get("name") or "")
    for other in Department.query.filter(Department.id != own_id).all() if own_id else Department.query.all():
        if other.issuing_code == mine:
            raise ValidationError(f"发文机关代字“{mine}”已由{other.name}使用，请填写本机关自己的代字",
                                  field="doc_code")


def seed_departments(now: datetime, actor: Actor = "seed") -> list[Department]:
    """Insert seed departments that are missing; never overwrites what an admin has edited."""
    existing = {code for (code,) in db.session.query(Department.code)}
    created: list[Department] = []
    with unit_of_work():
        for row in department_rows():
            if row["code"] in existing:
                continue
            dep = Department(**row)
            db.session.add(dep)
            created.append(dep)
        db.session.flush()
        for dep in created:
            audit.log_change(now=now, actor=actor, entity_kind="department", entity_id=dep.code, action="seeded")
        _retire_abolished(now, actor)
    return created


def _retire_abolished(now: datetime, actor: Actor) -> None:
    """Organs abolished in the 2019 reform (seed_data.ABOLISHED): their work-plan topics move to the successor
    and the old row is deactivated, never deleted (applications, tickets and users refer to it). Idempotent:
    an inactive old row is left alone."""
    for old_code, new_code in ABOLISHED.items():
        old, new = get_by_code(old_code, active_only=False), get_by_code(new_code, active_only=False)
        if old is None or new is None or not old.active:
            continue
        have = {t.get("topic") for t in new.topics or []}
        new.topics = [*(new.topics or []), *(t for t in old.topics or [] if t.get("topic") not in have)]
        old.active = False
        audit.log_change(now=now, actor=actor, entity_kind="department", entity_id=old_code, action="retired",
                     after={"successor": new_code})


def disclosing_departments() -> list[Department]:
    """Active organs that receive and answer disclosure applications (条例 Art. 2, 36: administrative organs
    only — not a party organ such as 区委办)."""
    return [d for d in active_departments() if d.discloses]


def check_discloses(dep: Department | None) -> None:
    """Refuse a party organ (条例 Art. 2, 36) or an organ no longer in use (abolished, deactivated) as the
    receiving or handling organ of an application: no letter goes out in the name of an organ that is gone."""
    if dep is not None and not dep.discloses:
        raise ValidationError(f"{dep.name}不是行政机关，不受理、不答复政府信息公开申请（政府信息公开条例第二条、"
                              "第三十六条）", field="department")
    if dep is not None and not dep.active:
        raise ValidationError(f"{dep.name}已停用（如机构改革中撤销），不再受理、办理政府信息公开申请；"
                              "请由承继其职责的机关受理", field="department")


def active_departments() -> list[Department]:
    return Department.query.filter_by(active=True).order_by(Department.kind, Department.id).all()


def get_by_code(code: object, *, active_only: bool = True) -> Department | None:
    """The department with this code — case and surrounding spaces ignored, as URLs, forms and the API give it —
    or None; `active_only=False` also finds a deactivated one (an abolished organ's feed, the district office)."""
    query = Department.query.filter_by(code=str(code).strip().lower() if code is not None else "")
    return (query.filter_by(active=True) if active_only else query).first()


def require_by_code(code: object, *, active_only: bool = True, field: str | None = None) -> Department:
    """get_by_code, or ValidationError (没有代码为 … 的部门) naming `field`."""
    dep = get_by_code(code, active_only=active_only)
    if dep is None:
        raise ValidationError(f"没有代码为 {code!r} 的部门", field=field)
    return dep


def _resolve_parent(data: dict[str, Any], own: Department | None) -> None:
    """The admin's 上级机构代码 → parent_id (the organisation tree of a city-wide 12345, hotline/tiers.py): an
    existing organisation, never the department itself or one below it (no cycle); empty = no parent."""
    if "parent" not in data:
        return
    code = data.pop("parent")
    if not isinstance(code, str) or not code.strip():
        data["parent_id"] = None
        return
    parent = get_by_code(code, active_only=False)
    if parent is None or "\x00" in code:
        raise ValidationError(f"没有代码为 {code.strip()[:20]} 的机构", field="parent")
    seen, node = set(), parent
    while node is not None and node.id not in seen:
        if own is not None and node.id == own.id:
            raise ValidationError("上级机构不能是本部门或其下级", field="parent")
        seen.add(node.id)
        node = db.session.get(Department, node.parent_id) if node.parent_id else None
    data["parent_id"] = parent.id


def create_department(data: dict[str, Any], *, now: datetime, actor: Any) -> Department:
    code = (data.get("code") or "").strip().lower()
    if get_by_code(code, active_only=False):
        raise ValidationError(f"部门代码 {code} 已存在", field="code")
    data = dict(data)
    _resolve_parent(data, None)
    _check_reconsideration_body(data)
    _check_bodies(data)
    _check_payment(data)
    _check_doc_code(data, code)
    with unit_of_work():
        dep = Department(code=code, topics=[], **{k: data[k] for k in EDITABLE if k in data})
        db.session.add(dep)
        db.session.flush()
        audit.log_change(now=now, actor=actor, entity_kind="department", entity_id=code, action="created",
                     after={k: getattr(dep, k) for k in EDITABLE})
    return dep


def _check_has_approver(dep: Department) -> None:
    """Replies of a department that requires sign-off wait for its head: refuse the setting while the department
    has no active approver account, so that no draft can wait for nobody."""
    from core.auth.models import Role, User

    if not User.query.filter_by(department_id=dep.id, role=Role.APPROVER, active=True).first():
        raise ValidationError(f"{dep.name}还没有负责人（审批人）账号：请先为其创建审批人账号，再开启“答复需部门负责人签发”",
                              field="requires_signoff")


def update_department(dep: Department, data: dict[str, Any], *, now: datetime, actor: Actor,
                      keywords: list[str] | None = None) -> Department:
    """Edit a department's names, contacts and flags; `keywords` replaces its extra routing keywords."""
    before = {k: getattr(dep, k) for k in EDITABLE}
    data = dict(data)
    _resolve_parent(data, dep)
    current = {"full_name": dep.full_name, "reconsideration_body": dep.reconsideration_body,
               "reconsideration_body_alt": dep.reconsideration_body_alt,
               **{k: getattr(dep, k) for k in (*PAYMENT_FIELDS, "fee_payment_note")}, **data}
    _check_reconsideration_body(current)
    _check_bodies(current)
    _check_payment(current)
    current.setdefault("name", dep.name)
    _check_doc_code(current, dep.code, own_id=dep.id)
    if data.get("requires_signoff") and not dep.requires_signoff:
        _check_has_approver(dep)
    data = {k: current[k] for k in data}
    with unit_of_work():
        for k in EDITABLE:
            if k in data:
                setattr(dep, k, data[k])
        if keywords is not None:
            topics = [t for t in dep.topics or [] if t.get("topic") != "管理员补充"]
            if keywords:
                topics.append({"topic": "管理员补充", "keywords": keywords, "lead": True})
            dep.topics = topics
        after = {k: getattr(dep, k) for k in EDITABLE}
        audit.log_change(now=now, actor=actor, entity_kind="department", entity_id=dep.code, action="updated",
                     before=before, after=after)
    return dep
