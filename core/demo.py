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


MEMO = "demo-accounts.txt"  # in the instance folder, beside the development SQLite database and secret key


def _memo_path() -> Path:
    return Path(current_app.instance_path) / MEMO


def create_demo_accounts(now: datetime) -> list[tuple[str, str, str]]:
    """Create missing demo accounts with fresh random passwords; returns (login, password, label). The new
    passwords are also kept, readable by the owner only, in instance/demo-accounts.txt so that `flask serve`
    can print them again at the end of `make run`'s output, where a newcomer looks (issue 18 item 15)."""
    created = []
    # the fee notice needs a payment channel (条例 Art. 42): demo values, clearly marked, only where none is set
    for dep in Department.query.filter(Department.code.in_(("zfb", "mzj", "zjj"))):
        if not dep.payment_lines():
            dep.fee_payment_note = "（演示数据）凭收费通知书到区政务服务中心收费窗口缴纳"
    for login, role, dep_code, label in DEMO:
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
