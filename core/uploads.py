"""Uploaded files: checked by content (magic bytes) and size, stored outside static/ under random names."""
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from core.errors import ValidationError

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


def check_files(files):
    """[(filename, bytes)] → [CheckedFile]; refuses other types, oversize files and too many files."""
    cfg = current_app.config
    files = [(n, d) for n, d in files if n or d]
    if len(files) > cfg["UPLOAD_MAX_FILES"]:
        raise ValidationError(f"附件最多 {cfg['UPLOAD_MAX_FILES']} 个", field="attachments")
    out = []
    for name, data in files:
        name = os.path.basename((name or "附件").replace("\\", "/"))[:200] or "附件"
        if not data:
            raise ValidationError(f"附件“{name}”是空文件", field="attachments")
        if len(data) > cfg["UPLOAD_MAX_BYTES"]:
            raise ValidationError(f"附件“{name}”超过 {cfg['UPLOAD_MAX_BYTES'] // (1024 * 1024)} MB", field="attachments")
        kind = next((ct for magic, ct, _ in MAGIC if data.startswith(magic)), None)
        if kind is None:
            raise ValidationError(f"附件“{name}”不是 PDF、JPG 或 PNG 文件（按文件内容判断）", field="attachments")
        out.append(CheckedFile(name, data, kind, hashlib.sha256(data).hexdigest()))
    return out


def store(checked):
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


def path_for(stored_name):
    if "/" in stored_name or stored_name.startswith("."):
        raise ValueError("bad stored name")
    return Path(current_app.config["UPLOAD_DIR"]) / stored_name
