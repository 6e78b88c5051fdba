"""Shared form helpers."""
from core.errors import ValidationError


def apply_domain_error(form, err: ValidationError):
    """Attach a domain validation error to the matching field, or to the form as a whole."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)
