"""Uploaded files: checked by content (magic bytes, and the parts inside a Word/Excel package) and size, stored
outside static/ under random names."""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from core.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC, XLS = "application/msword", "application/vnd.ms-excel"

# content type → (stored extension, the kind's name for people)
KINDS = {
    "application/pdf": (".pdf", "PDF"),
    "image/jpeg": (".jpg", "JPG"),
    "image/png": (".png", "PNG"),
    DOCX: (".docx", "Word"),
    XLSX: (".xlsx", "Excel"),
    DOC: (".doc", "Word"),
    XLS: (".xls", "Excel"),
}
MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ACCEPTED = "PDF、JPG、PNG、Word（.docx/.doc）或 Excel（.xlsx/.xls）"
ACCEPT_ATTR = ".pdf,.jpg,.jpeg,.png,.docx,.doc,.xlsx,.xls"  # the file inputs' `accept` (a hint; the content decides)

# A Word/Excel package is a ZIP: its members are limited so that a small upload cannot unpack into gigabytes.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 100 * 1024 * 1024
ZIP_MAX_RATIO = 200  # a member that unpacks to more than 200× its packed size is a zip bomb, not a document


class _Refused(Exception):
    """The file is not an accepted kind (or is a macro-enabled/oversize package); the reason is Chinese."""


def _office_package(data: bytes) -> str:
    """.docx/.xlsx: a ZIP with [Content_Types].xml and word/ resp. xl/ parts; no macros, no zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            if len(members) > ZIP_MAX_MEMBERS or sum(m.file_size for m in members) > ZIP_MAX_UNPACKED:
                raise _Refused("解压后过大")
            if any(m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1) + 1024 for m in members):
                raise _Refused("压缩比异常")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                raise _Refused("")
            types = z.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, RuntimeError, EOFError):
        raise _Refused("") from None
    if "macroenabled" in types or "vbaproject" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _Refused("含有宏，不予接收")
    if any(n.startswith("word/") for n in names) and "wordprocessingml" in types:
        return DOCX
    if any(n.startswith("xl/") for n in names) and "spreadsheetml" in types:
        return XLSX
    raise _Refused("")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _legacy_office(data: bytes) -> str:
    """.doc/.xls: an OLE2 compound file whose directory names a WordDocument resp. Workbook/Book stream."""
    if _utf16("_VBA_PROJECT") in data or _utf16("Macros") in data:
        raise _Refused("含有宏，不予接收")
    if _utf16("WordDocument") in data:
        return DOC
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return XLS
    raise _Refused("")


def sniff(data: bytes) -> str:
    """The content type of an accepted file judged by its content; _Refused otherwise."""
    kind = next((ct for magic, ct in MAGIC if data.startswith(magic)), None)
    if kind:
        return kind
    if data.startswith(ZIP_MAGIC):
        return _office_package(data)
    if data.startswith(OLE2_MAGIC):
        return _legacy_office(data)
    raise _Refused("")


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    data: bytes
    content_type: str
    sha256: str


def check_one(name: str | None, data: bytes | None, *, field: str = "attachments",
              label: str = "附件") -> CheckedFile:
    """One (filename, bytes) → CheckedFile; ValidationError naming the file and the accepted kinds."""
    cfg = current_app.config
    name = os.path.basename((name or label).replace("\\", "/"))[:200] or label
    if not data:
        raise ValidationError(f"{label}“{name}”是空文件", field=field)
    if len(data) > cfg["UPLOAD_MAX_BYTES"]:
        raise ValidationError(f"{label}“{name}”超过 {cfg['UPLOAD_MAX_BYTES'] // (1024 * 1024)} MB", field=field)
    try:
        kind = sniff(data)
    except _Refused as why:
        reason = f"（{why}）" if str(why) else ""
        raise ValidationError(f"{label}“{name}”不是 {ACCEPTED}文件{reason}（按文件内容判断）", field=field) from None
    return CheckedFile(name, data, kind, hashlib.sha256(data).hexdigest())


def check_files(files: Iterable[tuple[str | None, bytes | None]], *, field: str = "attachments",
                label: str = "附件") -> list[CheckedFile]:
    """[(filename, bytes)] → [CheckedFile]; refuses other types, oversize files and too many files. Errors name
    the form/API `field` the files came in, and call them `label`."""
    cfg = current_app.config
    files = [(n, d) for n, d in files if n or d]
    if len(files) > cfg["UPLOAD_MAX_FILES"]:
        raise ValidationError(f"{label}最多 {cfg['UPLOAD_MAX_FILES']} 个", field=field)
    return [check_one(name, data, field=field, label=label) for name, data in files]


def store(checked: CheckedFile) -> str:
    """Write a checked file under a random name; returns the stored name."""
    stored = secrets.token_hex(16) + KINDS[checked.content_type][0]
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
