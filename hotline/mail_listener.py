"""The SMTP listener for the relay (`flask mail listen`): every message the relay hands over is accepted only
once it is stored (hotline.mail_intake.receive_mail commits the raw bytes first), so a "250" means kept."""
from __future__ import annotations

import signal
import sys
import time
from typing import TYPE_CHECKING, Any

import click
from flask import current_app
from flask.cli import AppGroup

from core.db import utcnow

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller
    from flask import Flask


class InboundHandler:
    """aiosmtpd handler: DATA → receive_mail inside an application context of `app`."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from hotline.mail_intake import receive_mail

        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        with self.app.app_context():
            try:
                stored = receive_mail(raw, envelope_from=envelope.mail_from or "", envelope_to=envelope.rcpt_tos,
                                      now=utcnow()).id
            except Exception:  # noqa: BLE001 - not stored: the relay must keep it and retry
                self.app.logger.exception("inbound mail could not be stored")
                return "451 Requested action aborted: local error in processing"
            finally:
                from core.extensions import db
                db.session.remove()
        return f"250 OK stored as {stored}"


def make_controller(app: Flask, host: str, port: int) -> Controller:
    """An aiosmtpd Controller (its own thread) that feeds `app`'s inbox; start() and stop() it."""
    from aiosmtpd.controller import Controller

    return Controller(InboundHandler(app), hostname=host, port=port,
                      data_size_limit=app.config["MAIL_INBOUND_MAX_BYTES"], decode_data=False)


mail = AppGroup("mail", help="邮件受理：接收转发的邮件（SMTP）")


@mail.command("listen")
@click.option("--host", default=None, help="listen address (default MAIL_LISTEN_HOST)")
@click.option("--port", default=None, type=int, help="port (default MAIL_LISTEN_PORT)")
def listen_command(host: str | None, port: int | None) -> None:
    """Run the SMTP listener until interrupted."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    host = host or app.config["MAIL_LISTEN_HOST"]
    port = port or app.config["MAIL_LISTEN_PORT"]
    controller = make_controller(app, host, port)
    controller.start()
    # systemd stops a service with SIGTERM: leave through `finally`, so the listener closes its port cleanly
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    click.echo(f"邮件受理：在 {host}:{port} 接收邮件（Ctrl+C 结束）")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
