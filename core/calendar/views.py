"""Calendar pages: a year's exceptions, file import, single-day edits and the due-date calculator."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required, staff_required
from core.auth.models import Role
from core.calendar import preview as preview_mod
from core.calendar import service
from core.calendar.forms import DayForm, DueForm, ImportForm
from core.calendar.parsing import CalendarFileError, parse_calendar_file
from core.db import utcnow
from core.errors import DomainError
from core.inputs import YEAR_MAX, YEAR_MIN, parse_date

if TYPE_CHECKING:

    from flask.typing import ResponseReturnValue

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")


def _year_arg() -> int:
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        return service.local_date(utcnow()).year
    return year if YEAR_MIN <= year <= YEAR_MAX else service.local_date(utcnow()).year


def _day_form() -> DayForm:
    """The single-day form, showing what was typed when the admin comes back from an error or the question."""
    typed = {k: request.args[k] for k in ("day", "kind", "name") if request.args.get(k)}
    return DayForm(formdata=None, **typed) if typed else DayForm(formdata=None)


@bp.get("/")
@staff_required
def index() -> ResponseReturnValue:
    year = _year_arg()
    due_form = DueForm(request.args, meta={"csrf": False})
    answer = error = None
    if "start" in request.args and due_form.validate():
        try:
            answer = service.compute_due(parse_date(due_form.start.data), due_form.workdays.data)  # type: ignore[arg-type]
        except ValueError as exc:
            error = str(exc)
    days, official = service.year_listing(year)
    return render_template("admin/calendar.html", year=year, days=days, official=official,
                           import_form=ImportForm(), day_form=_day_form(), due_form=due_form,
                           answer=answer, error=error, is_admin=current_user.role is Role.ADMIN)


@bp.post("/import")
@roles_required(Role.ADMIN)
def import_file() -> ResponseReturnValue:
    form = ImportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
        return redirect(url_for(".index"))
    upload = form.file.data
    data = upload.read(current_app.config["CALENDAR_UPLOAD_MAX_BYTES"] + 1)
    if len(data) > current_app.config["CALENDAR_UPLOAD_MAX_BYTES"]:
        flash("文件过大，日历文件不应超过 1 MB。未导入任何数据。", "danger")
        return redirect(url_for(".index"))
    try:
        rows = parse_calendar_file(upload.filename, data)
        report = service.import_official(rows, origin=f"上传文件 {upload.filename}"[:120], now=utcnow(),
                                         actor=current_user, only_year=form.year.data)
    except CalendarFileError as err:
        for e in err.errors[:20]:
            flash(e, "danger")
        flash("文件有误，未导入任何数据。", "danger")
        return redirect(url_for(".index"))
    flash(f"已导入 {'、'.join(map(str, report.years))} 年官方安排：{report.days} 天；"
          f"新增或修改 {report.added} 条，删除 {report.removed} 条；重新计算了 {report.changed_items} 件在办事项的期限。",
          "success")
    return redirect(url_for(".index", year=report.years[0]))


def _confirm(preview: preview_mod.Preview, form: DayForm | None = None) -> ResponseReturnValue:
    return render_template("admin/calendar_confirm.html", p=preview, form=form)


@bp.post("/day")
@roles_required(Role.ADMIN)
def set_day() -> ResponseReturnValue:
    """Setting a day is asked first (how many open deadlines move); only the confirmed POST saves."""
    form = DayForm()
    if form.validate_on_submit():
        try:
            day = parse_date(form.day.data)
            if not request.form.get("confirmed"):
                return _confirm(preview_mod.setting(day, form.kind.data, form.name.data or ""), form)
            changed = service.set_day(day, form.kind.data, form.name.data or "", now=utcnow(), actor=current_user)
        except (ValueError, DomainError) as exc:
            flash(getattr(exc, "message", str(exc)), "danger")
        else:
            kind_label = "放假" if form.kind.data == "holiday" else "调休上班"
            flash(f"已设置 {day}：{kind_label}；重新计算了 {changed} 件在办事项的期限。", "success")
            return redirect(url_for(".index", year=day.year))
    else:
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
    return redirect(url_for(".index", **_typed(form)))  # type: ignore[arg-type]


def _typed(form: DayForm) -> dict[str, str]:
    """What the admin typed, for the form on the calendar page to show again."""
    return {k: v for k, v in (("day", form.day.data), ("kind", form.kind.data), ("name", form.name.data)) if v}


@bp.get("/day/<day>/delete")
@roles_required(Role.ADMIN)
def confirm_remove(day: str) -> ResponseReturnValue:
    """The question before a day's arrangement is deleted: how many open deadlines would move."""
    try:
        return _confirm(preview_mod.removal(parse_date(day)))
    except (ValueError, DomainError) as exc:
        flash(getattr(exc, "message", str(exc)), "danger")
        return redirect(url_for(".index"))


@bp.post("/day/<day>/delete")
@roles_required(Role.ADMIN)
def remove_day(day: str) -> ResponseReturnValue:
    """Only the confirmed POST deletes; a POST without the confirmation is shown the question."""
    if not request.form.get("confirmed"):
        return redirect(url_for(".confirm_remove", day=day))
    try:
        parsed = parse_date(day)
        changed = service.remove_day(parsed, now=utcnow(), actor=current_user)
    except (ValueError, DomainError) as exc:
        flash(getattr(exc, "message", str(exc)), "danger")
        return redirect(url_for(".index"))
    flash(f"已删除 {parsed} 的特殊安排；重新计算了 {changed} 件在办事项的期限。", "success")
    return redirect(url_for(".index", year=parsed.year))
