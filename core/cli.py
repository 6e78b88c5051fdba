"""Command-line interface: seed, users, tokens, calendar and backup (flask --app app …)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from core.db import utcnow
from core.errors import DomainError

if TYPE_CHECKING:
    from datetime import date
    from typing import NoReturn

    from flask import Flask


def _fail(message: str) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    sys.exit(1)


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also create demo accounts (passwords printed once).")
@click.option("--city", is_flag=True, help="With --demo: a city-wide 12345 demo (centre, two district sub-centres).")
def seed_command(demo: bool, city: bool = False) -> None:
    """Seed departments and the official calendar (idempotent); `--demo --city` adds the two-level demo tree."""
    from core.calendar.service import seed_from_package
    from core.departments.service import seed_departments

    now = utcnow()
    created = seed_departments(now)
    click.echo(f"部门：新增 {len(created)} 个" if created else "部门：已存在，未改动")
    from flask import current_app
    for seeder in current_app.extensions.get("seeders", []):
        click.echo(seeder())
    report = seed_from_package(now)
    if report:
        click.echo(f"工作日历：载入 {report.years[0]}–{report.years[-1]} 年官方安排 {report.days} 天")
    else:
        click.echo("工作日历：官方安排已载入，未改动")
    if demo and city:
        from core.demo import create_city_demo
        click.echo(create_city_demo(now))
    if demo:
        from core.demo import create_demo_accounts
        accounts = create_demo_accounts(now, city=city)
        if accounts:
            click.echo("\n演示账号（密码只显示这一次；忘记后用 `flask --app app users set-password` 重设）：")
            for login, password, label in accounts:
                click.echo(f"  {label:<18} {login:<28} {password}")
        else:
            click.echo("演示账号：已存在（密码在首次创建时显示过）")


users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.option("--email", default=None)
@click.option("--phone", default=None)
@click.option("--password", required=True)
@click.option("--role", required=True, help="citizen, operator, staff, approver, supervisor or admin")
@click.option("--department", "department_code", default=None, help="Department code, e.g. mzj")
@click.option("--name", default="")
def users_create(email: str, phone: str, password: str, role: str, department_code: str | None, name: str) -> None:
    """Create an account."""
    from core.auth.service import create_user
    from core.departments.service import require_by_code

    if bool(email) == bool(phone):
        _fail("请只给出 --email 或 --phone 其中之一")
    try:
        dep = require_by_code(department_code, active_only=False) if department_code else None
        user = create_user(login=email or phone, password=password, role=role, department=dep,
                           name=name, now=utcnow())
    except DomainError as err:
        _fail(err.message)
    click.echo(f"已创建 {user.role.label} 账号 {user.login_id}（id {user.id}）")


@users.command("set-password")
@click.option("--login", required=True, help="Email or phone")
@click.option("--password", required=True)
def users_set_password(login: str, password: str) -> None:
    """Reset a password (also ends the user's sessions and clears the login's failures)."""
    from core.auth.service import find_user, set_password

    try:
        user = find_user(login)
        if user is None:
            _fail(f"没有账号 {login}")
        set_password(user, password, now=utcnow())
    except DomainError as err:
        _fail(err.message)
    click.echo(f"已重设 {user.login_id} 的密码")


@users.command("list")
def users_list() -> None:
    """List accounts."""
    from core.auth.models import User

    for u in User.query.order_by(User.id):
        dep = u.department.code if u.department else "-"
        click.echo(f"{u.id:>5}  {u.role.value:<10} {dep:<8} {u.login_id:<28} {u.name}")


tokens = AppGroup("tokens", help="Manage API tokens.")


@tokens.command("create")
@click.option("--email", default=None)
@click.option("--phone", default=None)
@click.option("--label", default="")
def tokens_create(email: str, phone: str, label: str) -> None:
    """Create an API token and print it (shown once; only its hash is stored)."""
    from core.auth.service import create_token, find_user

    try:
        user = find_user(email or phone or "")
        if user is None:
            _fail(f"没有账号 {email or phone}")
        raw, token = create_token(user, now=utcnow(), label=label)
    except DomainError as err:
        _fail(err.message)
    click.echo(raw)
    click.echo(f"（令牌 id {token.id}，前缀 {token.prefix}；请求头：Authorization: Bearer <令牌>）", err=True)


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke a token by id."""
    from core.auth.models import ApiToken
    from core.auth.service import revoke_token
    from core.extensions import db

    token = db.session.get(ApiToken, token_id)
    if token is None:
        _fail(f"没有 id 为 {token_id} 的令牌")
    try:
        revoke_token(token, now=utcnow())
    except DomainError as err:
        _fail(err.message)
    click.echo(f"已吊销令牌 {token_id}")


@tokens.command("list")
def tokens_list() -> None:
    """List tokens (prefix, owner, state)."""
    from core.auth.models import ApiToken

    for t in ApiToken.query.order_by(ApiToken.id):
        state = "已吊销" if t.revoked_at else "有效"
        click.echo(f"{t.id:>5}  {t.prefix}…  {t.user.login_id:<28} {state}  {t.label}")


calendar = AppGroup("calendar", help="Working-day calendar.")


def _parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from core.inputs import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@calendar.command("due")
@click.option("--from", "start", required=True, callback=_parse_date_option, help="Receipt date YYYY-MM-DD")
@click.option("--workdays", required=True, type=click.IntRange(0, 1000))
def calendar_due(start: date, workdays: int) -> None:
    """Print the due date n working days after --from (the start day is not counted)."""
    from core.calendar.service import compute_due

    try:
        answer = compute_due(start, workdays)
    except ValueError as exc:
        _fail(str(exc))
    flag = f"provisional (no official calendar for {', '.join(map(str, answer.provisional_years))})" \
        if answer.provisional else "official"
    click.echo(f"{answer.due.isoformat()} {flag}")


@calendar.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(1901, 9998), default=None, help="Refuse rows of other years")
def calendar_import(path: Path, year: int | None) -> None:
    """Import official holidays and make-up days from a CSV (date,kind,name) or iCalendar file."""
    from core.calendar.parsing import CalendarFileError, parse_calendar_file
    from core.calendar.service import import_official

    try:
        rows = parse_calendar_file(path.name, path.read_bytes())
        report = import_official(rows, origin=f"file {path.name}", now=utcnow(), actor="cli", only_year=year)
    except CalendarFileError as err:
        for e in err.errors:
            click.echo(f"错误：{e}", err=True)
        _fail("文件有误，未导入任何数据")
    click.echo(f"已导入 {', '.join(map(str, report.years))}：{report.days} 天，新增/修改 {report.added}，"
               f"删除 {report.removed}；重新计算期限的在办事项 {report.changed_items} 件")


@calendar.command("list")
@click.option("--year", type=click.IntRange(1901, 9998), required=True)
def calendar_list(year: int) -> None:
    """List a year's holidays and make-up working days."""
    from core.calendar.service import year_listing

    days, official = year_listing(year)
    click.echo(f"{year} 年：{'官方安排' if official else '暂定（依法推算，待国务院公布）'}")
    for d, info in days:
        kind = "休" if info.kind == "holiday" else "班"
        click.echo(f"{d.isoformat()} {kind} {info.name} ({info.source})")


backup = AppGroup("backup", help="Back up and restore the database and uploads.")


@backup.command("create")
@click.option("--to", "dest", default=None, help="Folder for the archive (default: instance/backups).")
def backup_create(dest: str | None) -> None:
    from core import backup as ops
    try:
        path, manifest = ops.create(dest or Path(current_app.instance_path) / "backups", now=utcnow())
    except ops.BackupError as exc:
        _fail(str(exc))
    counts = "，".join(f"{k} {v}" for k, v in manifest["counts"].items())
    click.echo(f"已备份：{path}（数据库 {manifest['database']}，附件 {len(manifest['uploads'])} 个；{counts}）")


@backup.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm: the current database and uploads are replaced.")
def backup_restore(archive: str, yes: bool) -> None:
    from core import backup as ops
    if not yes:
        _fail("恢复会覆盖当前的数据库和附件；请先停止网站和后台任务，再加 --yes 确认")
    try:
        manifest = ops.restore(archive, now=utcnow())
    except ops.BackupError as exc:
        _fail(str(exc))
    click.echo(f"已恢复 {manifest['created_at']} 的备份（附件 {len(manifest['uploads'])} 个）")


NO_DATABASE = ("错误：数据库尚未建立或无法连接，请先运行 `flask --app app db upgrade`（并检查 DATABASE_URL）。"
               " Error: the database is missing or unreachable; run `flask --app app db upgrade` first"
               " (and check DATABASE_URL).")
# long-running commands touch the database only later (per request, per job): they look at it before starting
LOOK_FIRST = frozenset({"serve", "worker", "cron"})


def _database_answers() -> None:
    """A read of a table every migrated database has: raises the error a missing schema or server gives."""
    import sqlalchemy as sa

    from core.extensions import db
    db.session.execute(sa.text("SELECT 1 FROM departments WHERE 1 = 0")).all()
    db.session.remove()


def _guarded(command: click.Command) -> click.Command:
    """`command` answering a missing or unreachable database with one line saying what to run first (exit 2),
    not a SQLAlchemy traceback (issue 18 item 11)."""
    if getattr(command, "_database_guard", False):
        return command
    original = command.invoke

    def invoke(ctx: click.Context) -> object:
        from sqlalchemy.exc import OperationalError, ProgrammingError
        try:
            if command.name in LOOK_FIRST:
                _database_answers()
            return original(ctx)
        except (OperationalError, ProgrammingError) as exc:
            cause = str(getattr(exc, "orig", exc)).strip().splitlines()
            click.echo(NO_DATABASE + (f"（{cause[0]}）" if cause else ""), err=True)
            ctx.exit(2)

    command.invoke = invoke  # type: ignore[method-assign]
    command._database_guard = True  # type: ignore[attr-defined]
    return command


class GuardedGroup(AppGroup):
    """The app's command group: every command it hands out is guarded (commands added by any package)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        return _guarded(command) if command is not None else None


def register_cli(app: Flask) -> None:
    from core.jobs.cli import register_job_cli

    guarded = GuardedGroup(app.cli.name)
    guarded.commands.update(app.cli.commands)
    app.cli = guarded
    register_job_cli(app)
    app.cli.add_command(seed_command)
    app.cli.add_command(users)
    app.cli.add_command(tokens)
    app.cli.add_command(calendar)
    app.cli.add_command(backup)
