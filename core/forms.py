"""Shared form helpers: one way to read an integer or a date typed into a form (issue 14).

Integers stay within a database INTEGER (or a narrower range given), dates within the years
1900–2100 (core.inputs); a bad value is a Chinese message on its field and the typed text stays in the
re-rendered form, never an overflow deep in SQLite or PostgreSQL.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import request
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import IntegerField as _IntegerField
from wtforms.meta import DefaultMeta

from core.errors import ValidationError
from core.inputs import INT_MAX, date_field, parse_int

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date
    from typing import Any

    from core.errors import DomainError


def apply_domain_error(form: FlaskForm, err: ValidationError) -> None:
    """Attach a domain validation error to the matching field, or to the form as a whole."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)


class IntegerField(_IntegerField):
    """A WTForms integer in [low, high] (default 0 … a database INTEGER) with Chinese messages."""

    def __init__(self, label: str | None = None, validators: Any = None, low: int = 0, high: int = INT_MAX,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.low, self.high = low, high

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        try:
            self.data = parse_int(valuelist[0], self.low, self.high)
        except ValueError as exc:
            self.data = None
            raise ValueError(f"{self.label.text}{exc}") from None


def check_text_limits(form: FlaskForm, limits: Mapping[str, int]) -> None:
    """Refuse (400, every field named, nothing cut) a form whose text is longer than `limits` ({field: max})."""
    fields = {name: f"最多 {limit} 个字（已输入 {len(value)} 个字），请删减后再提交"
              for name, limit in limits.items() for value in form.getlist(name) if len(value) > limit}
    if fields:
        raise ValidationError("内容过长：" + "；".join(fields.values()), fields=fields)


def form_int(name: str, low: int = 1, high: int = INT_MAX, label: str = "") -> int | None:
    """The integer in form field `name` (an id unless low/high say otherwise), None when empty;
    ValidationError naming the field when it is not a whole number in range."""
    raw = request.form.get(name, "")
    if raw.strip() == "":
        return None
    try:
        return parse_int(raw, low, high)
    except ValueError as exc:
        raise ValidationError(f"{label}{exc}", field=name) from None


def form_ids(name: str) -> list[int]:
    """Every id in the repeated form field `name`; ValidationError on one that is not."""
    try:
        return [parse_int(raw, 1, INT_MAX) for raw in request.form.getlist(name) if raw.strip()]
    except ValueError as exc:
        raise ValidationError(f"编号{exc}", field=name) from None


def form_date(name: str, label: str = "日期") -> date | None:
    """The YYYY-MM-DD date (years 1900–2100) in form field `name`; ValidationError naming the field."""
    return date_field(request.form, name, required=True, label=label)


FILES_AGAIN = "请重新选择附件"


class FormState:
    """What one action form on a page shows: the values to fill in and the error of each field.

    A blank state (no refusal) shows each field's default. The state of a refused form shows exactly
    what was posted (an unticked box stays unticked), the error next to the field it names, and hands
    `autofocus` to the first field with an error as the template renders them (`focused` then tells
    the form whether its error summary should take the focus instead)."""

    def __init__(self, values: Any = None, errors: dict[str, str] | None = None, message: str = "",
                 files_lost: bool = False) -> None:
        self.refused = values is not None
        self.values = values
        self.errors = errors or {}
        self.message = message
        self.files_lost = files_lost
        self.files_note = FILES_AGAIN if files_lost else ""
        self.pending: list[Any] = []  # core/pending_uploads.Kept: files kept server-side, listed on the form
        self.focused = False
        self.shown: dict[str, str | None] = {}  # field name → id of its input, for the fields whose error is rendered next to them

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, "") if self.refused else default

    def checked(self, name: str, value: str = "y", default: bool = False) -> bool:
        return value in self.values.getlist(name) if self.refused else default

    def error(self, name: str, input_id: str | None) -> str | None:
        """The field's message (None when it has none); noted as shown next to input `input_id`."""
        message = self.errors.get(name)
        if message:
            self.shown[name] = input_id
        return message

    def autofocus(self, name: str) -> bool:
        """True once: for the first field rendered that has an error."""
        if self.focused or not self.errors.get(name):
            return False
        self.focused = True
        return True

    def summary(self) -> list[tuple[str, str | None]]:
        """[(message, input id or None)] for the form's error summary: every field error (linked to its
        field when rendered), then the general message when no field carries it."""
        items = [(message, self.shown.get(name)) for name, message in self.errors.items()]
        if self.message and self.message not in self.errors.values():
            items.append((self.message, None))
        return items


class Refusal:
    """A refused POST of one action form, to be re-rendered on its page (400 or 409) instead of a flash
    and a redirect, so that nothing typed is lost (issue 14 usability review).

    `action` and `item` (the consultation or dispute the form is about, when a page repeats it) pick the
    one form that gets the posted values; every other form keeps its defaults. Error names of the
    domain are mapped to the form's input names by `aliases` (e.g. the API's `sent_on` is the page's
    `on`). Chosen files that passed the check are kept server-side (`pending`, core/pending_uploads.py) and
    listed on the form; `files_note` names those that could not be kept."""

    def __init__(self, action: str | None = None, err: DomainError | None = None, values: Any = None,
                 files_chosen: bool = False, item: Any = None, aliases: dict[str, str] | None = None,
                 kept: dict[str, KeptState] | None = None, pending: list[Any] | None = None,
                 files_note: str = "") -> None:
        self.action, self.item = action, None if item is None else str(item)
        self.kept = kept or {}  # action → KeptState: another form refilled with what was typed there before
        self.status = getattr(err, "status", 200)
        self.rendered = False
        errors: dict[str, str] = {}
        for name, message in (getattr(err, "fields", None) or {}).items():
            errors.setdefault((aliases or {}).get(name, name), message)
        message = getattr(err, "message", "")
        self.state = FormState(values, errors, message, files_lost=files_chosen) if action else None
        if self.state is not None:
            self.state.pending = list(pending or [])
            if files_note:
                self.state.files_lost, self.state.files_note = True, files_note

    def __bool__(self) -> bool:
        return self.action is not None

    def form(self, action: str, item: Any = None) -> FormState | None:
        """The state of the form for `action` (and `item`): the refused one, or a blank one."""
        if self and action == self.action and (item is None or str(item) == self.item):
            self.rendered = True
            return self.state
        if action in self.kept and item is None:
            return self.kept[action]
        return FormState()


class KeptState(FormState):
    """A form refilled with values typed earlier (after a preview, or carried through another step), without an
    error shown."""

    def __init__(self, values: Mapping[str, str], files_lost: bool = False) -> None:
        super().__init__(values, {}, "", files_lost)
        self.refused = False

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


NO_REFUSAL = Refusal()


class Form(FlaskForm):
    """The base of every page form: WTForms' own messages in Simplified Chinese (its bundled zh catalogue —
    "字段长度不能超过 200 个字符。" instead of "Field cannot be longer than 200 characters."), whatever the
    browser's language; Flask-WTF would only translate through Flask-Babel, which the project does not use."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form: Any) -> Any:
            return DefaultMeta.get_translations(self, form)

    def hidden_tag(self, *fields: Any) -> Markup:
        """The hidden fields and CSRF token, plus the one-time submission token (core/idempotency.py): a view
        decorated with submits_once then creates its item once, however often the form is sent."""
        from core.idempotency import form_token
        return Markup(super().hidden_tag(*fields)) + form_token()
