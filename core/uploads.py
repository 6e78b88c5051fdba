"""Uploaded files: checked by content (magic bytes) and size, stored outside static/ under random names."""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable


MAGIC = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    data: bytes
    content_type: str
    sha256: str


def check_files(files: Iterable[tuple[str | None, bytes | None]], *, field: str = "attachments",
                label: str = "附件") -> list[CheckedFile]:
    """[(filename, bytes)] → [CheckedFile]; refuses other types, oversize files and too many files. Errors name
    the form/API `field` the files came in, and call them `label`."""
    cfg = current_app.config
    files = [(n, d) for n, d in files if n or d]
    if len(files) > cfg["UPLOAD_MAX_FILES"]:
        raise ValidationError(f"{label}最多 {cfg['UPLOAD_MAX_FILES']} 个", field=field)
    out: list[CheckedFile] = []
    for name, data in files:
        name = os.path.basename((name or label).replace("\\", "/"))[:200] or label
        if not data:
            raise ValidationError(f"{label}“{name}”是空文件", field=field)
        if len(data) > cfg["UPLOAD_MAX_BYTES"]:
            raise ValidationError(f"{label}“{name}”超过 {cfg['UPLOAD_MAX_BYTES'] // (1024 * 1024)} MB", field=field)
        kind = next((ct for magic, ct, _ in MAGIC if data.startswith(magic)), None)
        if kind is None:
            raise ValidationError(f"{label}“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容判断）", field=field)
        out.append(CheckedFile(name, data, kind, hashlib.sha256(data).hexdigest()))
    return out


def store(checked: CheckedFile) -> str:
    """Write a checked file under a random name; returns the stored name."""
    ext = next(e for _, ct, e in MAGIC if ct == checked.content_type)
    stored = secrets.token_hex(16) + ext
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored
    with open(path, "xb") as f:
        f.write(checked.data)
    os.chmod(path, 0o600)
    return stored


def path_for(stored_name: str) -> Path:
    if "/" in stored_name or stored_name.startswith("."):
        raise ValueError("bad stored name")
    return Path(current_app.config["UPLOAD_DIR"]) / stored_name
