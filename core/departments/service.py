"""Department use cases: seed from the work plan, create and edit (admin)."""
from core import audit
from core.db import unit_of_work
from core.departments.models import Department
from core.departments.seed_data import department_rows
from core.errors import ValidationError
from core.extensions import db

EDITABLE = ("name", "full_name", "kind", "phone", "email", "address", "requires_signoff", "active",
            "reconsideration_body")


def _check_reconsideration_body(data):
    """A letter is never issued in the name of the organ that would decide its own reconsideration."""
    body, name = (data.get("reconsideration_body") or "").strip(), (data.get("full_name") or "").strip()
    if "reconsideration_body" in data and not body:
        raise ValidationError("请填写行政复议机关", field="reconsideration_body")
    if body and body == name:
        raise ValidationError("行政复议机关不能是本机关自己（行政复议法第二十四条、第二十七条）",
                              field="reconsideration_body")


def seed_departments(now, actor="seed"):
    """Insert seed departments that are missing; never overwrites what an admin has edited."""
    existing = {code for (code,) in db.session.query(Department.code)}
    created = []
    with unit_of_work():
        for row in department_rows():
            if row["code"] in existing:
                continue
            dep = Department(**row)
            db.session.add(dep)
            created.append(dep)
        db.session.flush()
        for dep in created:
            audit.record(now=now, actor=actor, entity_kind="department", entity_id=dep.code, action="seeded")
    return created


def active_departments():
    return Department.query.filter_by(active=True).order_by(Department.kind, Department.id).all()


def get_by_code(code):
    dep = Department.query.filter_by(code=(code or "").strip().lower()).first()
    if dep is None:
        raise ValidationError(f"没有代码为 {code!r} 的部门")
    return dep


def create_department(data, *, now, actor):
    code = (data.get("code") or "").strip().lower()
    if Department.query.filter_by(code=code).first():
        raise ValidationError(f"部门代码 {code} 已存在", field="code")
    _check_reconsideration_body(data)
    with unit_of_work():
        dep = Department(code=code, topics=[], **{k: data[k] for k in EDITABLE if k in data})
        db.session.add(dep)
        db.session.flush()
        audit.record(now=now, actor=actor, entity_kind="department", entity_id=code, action="created",
                     after={k: getattr(dep, k) for k in EDITABLE})
    return dep


def update_department(dep, data, *, now, actor, keywords=None):
    """Edit a department's names, contacts and flags; `keywords` replaces its extra routing keywords."""
    before = {k: getattr(dep, k) for k in EDITABLE}
    _check_reconsideration_body({"full_name": dep.full_name, "reconsideration_body": dep.reconsideration_body,
                                 **data})
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
        audit.record(now=now, actor=actor, entity_kind="department", entity_id=dep.code, action="updated",
                     before=before, after=after)
    return dep
