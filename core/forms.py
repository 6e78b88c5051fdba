"""Shared form helpers: one way to read an integer or a date typed into a form (issue 14).

Integers stay within a database INTEGER (or a narrower range given), dates within the years
1900–2100 (core.inputs); a bad value is a Chinese message on its field and the typed text stays in the
re-rendered form, never an overflow deep in SQLite or PostgreSQL.
"""
from flask import request
from wtforms import IntegerField as _IntegerField

from core.errors import ValidationError
from core.inputs import INT_MAX, parse_date, parse_int


def apply_domain_error(form, err: ValidationError):
    """Attach a domain validation error to the matching field, or to the form as a whole."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)


class IntegerField(_IntegerField):
    """A WTForms integer in [low, high] (default 0 … a database INTEGER) with Chinese messages."""

    def __init__(self, label=None, validators=None, low=0, high=INT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.low, self.high = low, high

    def process_formdata(self, valuelist):
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        try:
            self.data = parse_int(valuelist[0], self.low, self.high)
        except ValueError as exc:
            self.data = None
            raise ValueError(f"{self.label.text}{exc}") from None


def form_int(name, low=1, high=INT_MAX, label=""):
    """The integer in form field `name` (an id unless low/high say otherwise), None when empty;
    ValidationError naming the field when it is not a whole number in range."""
    raw = request.form.get(name, "")
    if raw.strip() == "":
        return None
    try:
        return parse_int(raw, low, high)
    except ValueError as exc:
        raise ValidationError(f"{label}{exc}", field=name) from None


def form_ids(name):
    """Every id in the repeated form field `name`; ValidationError on one that is not."""
    try:
        return [parse_int(raw, 1, INT_MAX) for raw in request.form.getlist(name) if raw.strip()]
    except ValueError as exc:
        raise ValidationError(f"编号{exc}", field=name) from None


def form_date(name, label="日期"):
    """The YYYY-MM-DD date (years 1900–2100) in form field `name`; ValidationError naming the field."""
    try:
        return parse_date(request.form.get(name) or "")
    except ValueError as exc:
        raise ValidationError(f"{label}：{exc}" if label else str(exc), field=name) from None
