"""Delivery adapters. Email: SMTP, or log/file for development. SMS: an interface with a logging
implementation; a real gateway is plugged in by config as `package.module:ClassName`."""
from __future__ import annotations

import importlib
import json
import logging
import os
import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from core.notifications.models import Notification

log = logging.getLogger("notifications")


class Adapter:
    """Sends one notification; raises on failure so the delivery job can retry.

    A delivery is claimed before it is sent, so two jobs never send one notification at once; but a
    worker that dies after handing a message over and before recording it as sent leaves a claim that
    is retried. An adapter therefore passes the notification id to the gateway as its idempotency key
    (an SMS gateway's client message id, the email Message-ID), so a retried hand-over is not a
    second message."""

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


class LogAdapter(Adapter):
    """Writes the message to the application log (the development default); the outbox page shows it."""

    def send(self, notification: Notification) -> None:
        log.info("[%s → %s] %s | %s", notification.channel, notification.address, notification.subject,
                 notification.body)


class FileAdapter(Adapter):
    """Appends one JSON line per delivery to NOTIFY_FILE_SINK: a sink that tests and operators can count."""

    def __init__(self, path: str, delay: float = 0.0) -> None:
        if not path:
            raise RuntimeError("NOTIFY_FILE_SINK must be set for the file adapter")
        self.path, self.delay = path, delay

    def send(self, notification: Notification) -> None:
        if self.delay:
            time.sleep(self.delay)  # lets tests kill a worker in the middle of a delivery
        if self._already(notification.id):
            return  # handed over before a worker died: the id is the idempotency key
        line = json.dumps({"id": notification.id, "channel": notification.channel, "address": notification.address,
                           "subject": notification.subject, "body": notification.body}, ensure_ascii=False)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def _already(self, notification_id: int) -> bool:
        try:
            with open(self.path, encoding="utf-8") as f:
                return any(line.startswith(f'{{"id": {notification_id}, ') for line in f)
        except FileNotFoundError:
            return False


THREAD_HEADERS = ("In-Reply-To", "References")


class SmtpAdapter(Adapter):
    """Email over SMTP; the Message-ID carries the notification id so a mail server can spot repeats."""

    def __init__(self, host: str, port: int, user: str | None = None, password: str | None = None,
                 starttls: bool = False, sender: str = "noreply@localhost", timeout: float = 15) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.sender, self.timeout = starttls, sender, timeout

    def send(self, notification: Notification) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = notification.address
        msg["Subject"] = notification.subject
        extra = json.loads(notification.headers) if getattr(notification, "headers", None) else {}
        msg["Message-ID"] = extra.pop("Message-ID", None) or make_msgid(idstring=f"notification-{notification.id}")
        for name in THREAD_HEADERS:  # a reply in a ticket's mail thread (hotline/mail_intake.py)
            if extra.get(name):
                msg[name] = extra[name]
        msg.set_content(notification.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(msg)


def _build(name: str, cfg: Mapping[str, Any]) -> Adapter:
    if name == "log":
        return LogAdapter()
    if name == "file":
        return FileAdapter(cfg["NOTIFY_FILE_SINK"], cfg["NOTIFY_FILE_SINK_DELAY"])
    if name == "smtp":
        return SmtpAdapter(cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["SMTP_USER"], cfg["SMTP_PASSWORD"],
                           cfg["SMTP_STARTTLS"], cfg["MAIL_FROM"])
    if ":" in name:  # a gateway class of the deployment, e.g. "mycity.sms:AliyunSms"
        module, _, cls = name.partition(":")
        return getattr(importlib.import_module(module), cls)()
    raise RuntimeError(f"unknown notification adapter {name!r}")


def adapter_for(channel: str) -> Adapter:
    """The configured adapter of a channel (email or sms)."""
    cfg = current_app.config
    name = cfg["NOTIFY_EMAIL_ADAPTER"] if channel == "email" else cfg["NOTIFY_SMS_ADAPTER"]
    return _build(name, cfg)
