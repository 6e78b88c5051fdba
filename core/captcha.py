"""An offline image captcha on the public submission forms, asked only after CAPTCHA_AFTER submissions
from one address within an hour (most citizens never see it).

Nothing is stored for a challenge: the form carries the image as a data: URI (allowed by the CSP)
and a token = expiry.nonce.HMAC(SECRET_KEY, answer, expiry, nonce); the answer itself never leaves the
server except drawn in the picture. A token is good for one answer, right or wrong (its nonce is spent in the
rate limit storage — Redis when configured — before the answer is compared, so neither a solved
captcha can be replayed nor one picture be guessed at twice), for ten minutes. The login form asks
for one when an account or an address has failed often (core/auth/throttle.py).
The submissions are counted in the same storage, per address."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

if TYPE_CHECKING:
    from typing import Any

ALPHABET = "23456789"  # digits only, without 0/1 (O/l look-alikes): easy to type on any phone
LENGTH = 4
VALID_SECONDS = 600


@dataclass(frozen=True)
class Challenge:
    image: str  # data: URI of a PNG
    token: str


def _limiter() -> Any:
    return current_app.extensions["gk_limiter"].limiter  # the rate limits' own storage and windows


def _sign(answer: str, expiry: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{answer}|{expiry}|{nonce}".encode(), hashlib.sha256).hexdigest()


def needed() -> bool:
    """Whether this address has already submitted CAPTCHA_AFTER times within the hour."""
    if not current_app.config["CAPTCHA_ENABLED"]:
        return False
    window = parse(f"{current_app.config['CAPTCHA_AFTER']} per hour")
    return not _limiter().test(window, "captcha-count", get_remote_address())


def count_submission() -> None:
    """Call after a successful public submission."""
    if current_app.config["CAPTCHA_ENABLED"]:
        window = parse(f"{current_app.config['CAPTCHA_AFTER']} per hour")
        _limiter().hit(window, "captcha-count", get_remote_address())


def new_challenge(answer: str | None = None) -> Challenge:
    from captcha.image import ImageCaptcha
    answer = answer or "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expiry, nonce = int(time.time()) + VALID_SECONDS, secrets.token_hex(8)
    png = ImageCaptcha(width=160, height=60).generate(answer).getvalue()
    return Challenge("data:image/png;base64," + base64.b64encode(png).decode(),
                     f"{expiry}.{nonce}.{_sign(answer, expiry, nonce)}")


def check(token: str | None, answer: str | None) -> str | None:
    """None if the answer fits the token (and spends it), else the message for the citizen."""
    try:
        expiry, nonce, signature = (token or "").split(".")
        expiry = int(expiry)
    except ValueError:
        return "请填写图中的验证码"
    answer = (answer or "").strip()
    if not answer:
        return "请填写图中的验证码"
    if expiry < time.time():
        return "验证码已过期，请看新的图片重新填写"
    # Spent before it is compared: a wrong answer uses the token up too, so one picture gets one guess.
    if not _limiter().hit(parse("1 per 15 minutes"), "captcha-spent", nonce):
        return "验证码已使用过，请看新的图片重新填写"
    if not hmac.compare_digest(_sign(answer, expiry, nonce), signature):
        return "验证码不正确，请看新的图片重新填写"
    return None


def posted() -> tuple[bool, str | None]:
    """(answered, message) for the captcha fields of this POST: whether a right answer came with it,
    else the message to show (None when no captcha was posted at all). The token is spent either way."""
    from flask import request
    token, answer = request.form.get("captcha_token"), request.form.get("captcha_answer")
    if not token:
        return False, None
    error = check(token, answer)
    return error is None, error


def gate() -> str | None:
    """For a public form: on a POST from an address that must answer one, the message to show when the
    captcha is missing or wrong (the submission must then not go on); else None."""
    from flask import request
    if request.method != "POST" or not needed():
        return None
    return check(request.form.get("captcha_token"), request.form.get("captcha_answer"))


def context(error: str | None = None) -> dict[str, Any]:
    """Template variables for templates/core/_captcha.html: a new challenge when one is needed."""
    return {"challenge": new_challenge() if needed() else None, "captcha_error": error}
