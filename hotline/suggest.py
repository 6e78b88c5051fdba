"""What the console suggests while the operator types: department (with reason), duplicates, emergency."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func

from core.departments.models import Department
from core.departments.routing import suggest_departments
from core.departments.service import active_departments
from core.extensions import db
from hotline.models import Category, Ticket

EMERGENCY_WORDS = ["起火", "着火", "火灾", "冒烟", "爆炸", "受伤", "流血", "昏迷", "晕倒", "车祸", "抢劫", "持刀", "打架",
                   "杀人", "绑架", "溺水", "煤气泄漏", "燃气泄漏", "触电", "跳楼"]
EMERGENCY_TARGET = {"起火": "119", "着火": "119", "火灾": "119", "冒烟": "119", "爆炸": "119", "煤气泄漏": "119",
                    "燃气泄漏": "119", "受伤": "120", "流血": "120", "昏迷": "120", "晕倒": "120", "溺水": "120",
                    "触电": "120", "车祸": "122", "撞车": "122", "追尾": "122", "肇事": "122"}
EMERGENCY_WORDS += ["撞车", "追尾", "肇事"]
INJURY_WORDS = {"受伤", "流血", "昏迷", "晕倒", "骨折", "伤者", "伤员", "人受伤"}
ORDER = ("110", "119", "120", "122")
# Look-back windows of the suggestions (a heuristic of this district, not a limit of DESIGN §3 or of law).
ROUTING_HISTORY_DAYS = 90  # where tickets of the same category were dispatched
DUPLICATE_WINDOW_DAYS = 30  # possible duplicates of a new ticket


def emergency(text: str | None) -> tuple[list[str], list[str]] | None:
    """(words found, the numbers to transfer to, most fitting first) when the content sounds like an emergency.
    A road accident goes to 122 (国办发〔2020〕53号 lists 110/119/120/122), and to 120 as well when someone
    is hurt: the suggestion may name several numbers."""
    text = text or ""
    found = [w for w in EMERGENCY_WORDS if w in text]
    if not found:
        return None
    numbers = []
    for w in found:
        n = EMERGENCY_TARGET.get(w)
        if n and n not in numbers:
            numbers.append(n)
    if "122" in numbers and any(w in text for w in INJURY_WORDS) and "120" not in numbers:
        numbers.append("120")
    if "122" in numbers:  # the accident first, then the ambulance
        numbers.remove("122")
        numbers.insert(0, "122")
    return found, numbers or ["110"]


def department(category_code: str | None, content: str | None, now: datetime) -> tuple[Department | None, str]:
    """(department, reason): category default, else how similar tickets were dispatched, else the seed topics."""
    category = db.session.get(Category, category_code) if category_code else None
    if category is not None and category.department_id:
        dep = db.session.get(Department, category.department_id)
        return dep, f"事项分类“{category.name}”默认由{dep.name}承办"
    if category is not None:
        row = (db.session.query(Ticket.department_id, func.count(Ticket.id).label("n"))
               .filter(Ticket.category_code == category_code, Ticket.department_id.is_not(None),
                       Ticket.received_at >= now - timedelta(days=ROUTING_HISTORY_DAYS))
               .group_by(Ticket.department_id).order_by(func.count(Ticket.id).desc()).first())
        if row:
            dep = db.session.get(Department, row.department_id)
            return dep, f"近 {ROUTING_HISTORY_DAYS} 天同类工单多派给{dep.name}（{row.n} 件）"
    found = suggest_departments(content, active_departments(), limit=1)
    if found:
        return found[0].department, found[0].reason
    return None, ""


def _address_key(address):
    return re.sub(r"\s+", "", address or "")


def duplicates(*, phone: str | None, category_code: str | None, address: str | None, now: datetime,
               exclude_id: int | None = None) -> list[Ticket]:
    """Open or recent tickets of the same caller, or of the same category at the same address (30 days)."""
    since = now - timedelta(days=DUPLICATE_WINDOW_DAYS)
    q = Ticket.query.filter(Ticket.received_at >= since, Ticket.merged_into_id.is_(None))
    if exclude_id:
        q = q.filter(Ticket.id != exclude_id)
    conditions = []
    if phone:
        conditions.append(Ticket.caller_phone == phone)
    if category_code and _address_key(address):
        conditions.append((Ticket.category_code == category_code) & (Ticket.address == address.strip()))
    if not conditions:
        return []
    from sqlalchemy import or_
    return q.filter(or_(*conditions)).order_by(Ticket.received_at.desc()).limit(10).all()


def caller_history(phone: str | None, limit: int = 10) -> list[Ticket]:
    if not phone:
        return []
    return Ticket.query.filter_by(caller_phone=phone).order_by(Ticket.received_at.desc()).limit(limit).all()
