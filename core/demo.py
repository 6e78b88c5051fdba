"""Demo accounts for `flask seed --demo` on a laptop; never run in production."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from core.auth.models import User
from core.auth.service import create_user
from core.departments.models import Department
from core.departments.service import get_by_code

if TYPE_CHECKING:
    from datetime import datetime

DEMO = [
    ("admin@demo.local", "admin", None, "演示管理员"),
    ("supervisor@demo.local", "supervisor", None, "演示督办"),
    ("operator@demo.local", "operator", None, "演示话务员"),
    ("staff.mzj@demo.local", "staff", "mzj", "民政局承办人"),
    ("approver.mzj@demo.local", "approver", "mzj", "民政局负责人"),
    ("staff.zjj@demo.local", "staff", "zjj", "住建局承办人"),
    # 区政府办 houses the district government's 公开办 (条例 Art. 4): its head approves extensions and signs off
    # replies to applications the government received (requests_module/access.py: issuing_department_id)
    ("approver.zfb@demo.local", "approver", "zfb", "区政府办负责人"),
    ("citizen@demo.local", "citizen", None, "演示公众"),
]


# `flask seed --demo --city` (issue 20 item 3): a city-wide 12345 with two district sub-centres; the district's
# departments and towns go below 亭湖分中心, a demo department below 盐都分中心 (hotline/tiers.py). Without
# --city nothing of this exists: `make run` gives the one-level district deployment.
CITY_TREE = [  # (code, name, full name, kind, parent code)
    ("city12345", "市12345中心", "盐城市12345政务服务便民热线中心", "centre", None),
    ("sub_th", "亭湖分中心", "盐城市12345热线亭湖区分中心", "subcentre", "city12345"),
    ("sub_yd", "盐都分中心", "盐城市12345热线盐都区分中心（演示）", "subcentre", "city12345"),
    ("yd_zjj", "盐都住建局", "盐城市盐都区住房和城乡建设局（演示）", "organ", "sub_yd"),
]
CITY_ACCOUNTS = [
    ("staff.sub_th@demo.local", "staff", "sub_th", "亭湖分中心承办人"),
    ("staff.sub_yd@demo.local", "staff", "sub_yd", "盐都分中心承办人"),
    ("staff.yd_zjj@demo.local", "staff", "yd_zjj", "盐都住建局承办人"),
]


def create_city_demo(now: datetime) -> str:
    """The demo organisation tree of a city-wide 12345 (idempotent): centre → two sub-centres → departments."""
    from core.extensions import db
    added, made = 0, dict[str, Department]()
    for code, name, full_name, kind, parent_code in CITY_TREE:
        dep = get_by_code(code, active_only=False)
        if dep is None:
            dep = Department(code=code, name=name, full_name=full_name, kind=kind, topics=[], discloses=False)
            db.session.add(dep)
            added += 1
        db.session.flush()
        dep.parent_id = made[parent_code].id if parent_code else None
        made[code] = dep
    for dep in Department.query.filter(Department.kind.in_(("organ", "town")), Department.parent_id.is_(None)):
        dep.parent_id = made["sub_th"].id  # the district's own departments and towns: below its sub-centre
    db.session.commit()
    return f"全市两级派单演示：新增机构 {added} 个（市12345中心 → 亭湖分中心、盐都分中心）"


MEMO = "demo-accounts.txt"  # in the instance folder, beside the development SQLite database and secret key


def _memo_path() -> Path:
    return Path(current_app.instance_path) / MEMO


def create_demo_accounts(now: datetime, city: bool = False) -> list[tuple[str, str, str]]:
    """Create missing demo accounts with fresh random passwords; returns (login, password, label). The new
    passwords are also kept, readable by the owner only, in instance/demo-accounts.txt so that `flask serve`
    can print them again at the end of `make run`'s output, where a newcomer looks (issue 18 item 15)."""
    created = []
    # the fee notice needs a payment channel (条例 Art. 42): demo values, clearly marked, only where none is set
    for dep in Department.query.filter(Department.code.in_(("zfb", "mzj", "zjj"))):
        if not dep.payment_lines():
            dep.fee_payment_note = "（演示数据）凭收费通知书到区政务服务中心收费窗口缴纳"
    for login, role, dep_code, label in DEMO + (CITY_ACCOUNTS if city else []):
        if User.query.filter_by(email=login).first():
            continue
        password = "Demo" + secrets.token_hex(4) + "9"
        dep = get_by_code(dep_code, active_only=False) if dep_code else None
        create_user(login=login, password=password, role=role, department=dep, name=label, now=now, actor="seed")
        created.append((login, password, label))
    if created:
        path = _memo_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as memo:
            memo.writelines(f"{login}\t{password}\t{label}\n" for login, password, label in created)
    return created


def remembered_demo_accounts() -> list[tuple[str, str, str]]:
    """The demo accounts whose first password (from instance/demo-accounts.txt) still signs in: a password
    changed since, or an account deactivated, is left out, so the list printed is never stale."""
    path = _memo_path()
    if not path.is_file():
        return []
    usable = []
    for line in path.read_text(encoding="utf-8").splitlines():
        login, _, rest = line.partition("\t")
        password, _, label = rest.partition("\t")
        user = User.query.filter_by(email=login).first()
        if user is not None and user.active and user.check_password(password):
            usable.append((login, password, label))
    return usable
