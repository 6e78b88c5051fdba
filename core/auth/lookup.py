"""Status look-up without an account: a tracking number plus a secret only the submitter knows.

One rule for both workflows (依申请公开 and 12345): the secret is the whole phone number given at
submission (for disclosure applications also the whole identity number). An empty secret, a part of
the number (its last four digits, a prefix) or any other string never matches; the comparison takes
the same time whatever the secret, and the look-up pages are throttled per address (core/limits.py).
"""
import hmac
import re

_SEPARATORS = re.compile(r"[\s\-－—]+")


def normalise_secret(value):
    """Spaces and dashes do not count (138 0000 1111 = 13800001111); letters compare case-blind (ID 'x')."""
    return _SEPARATORS.sub("", str(value or "")).upper()


def secret_matches(given, *expected):
    """True only when `given` equals one of the non-empty `expected` secrets in full."""
    given = normalise_secret(given).encode()
    if not given:
        return False
    matched = False
    for secret in expected:
        secret = normalise_secret(secret).encode()
        if secret:  # an item without an ID number must not match an empty or missing one
            matched |= hmac.compare_digest(given, secret)
    return matched
