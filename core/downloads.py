"""The file name a browser saves a download under: the Chinese name (RFC 6266 `filename*`, UTF-8) and a
readable ASCII name for clients that ignore it (`filename`). Werkzeug's own fallback strips every Chinese
character, so "YSQ-2026-000012-补正告知书.pdf" would arrive as "YSQ-2026-000012-.pdf".

Both names are made safe to save: format characters (a right-to-left override would show "fdp.exe" as
"exe.pdf"), control characters, path separators and leading dots (a hidden file) are removed, and the name
is kept within what file systems allow (255 bytes)."""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from typing import Any

    from flask import Response

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME_CHARS = 80  # 80 CJK characters are 240 bytes in UTF-8


def _split(text: str) -> tuple[str, str, str]:
    stem, dot, ext = text.rpartition(".") if "." in text else (text, "", "")
    return stem, dot, ext


def clean_name(text: str, fallback: str) -> str:
    """`text` as a safe UTF-8 file name; `fallback` when no name is left (e.g. ".pdf")."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", text or "")
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    stem, dot, ext = _split(re.sub(r'[\\/:*?"<>|]+', "_", text).strip())
    stem = stem.lstrip(". ")
    if not stem:
        return fallback
    ext = ext[:10]
    return stem[:MAX_NAME_CHARS - len(dot) - len(ext)].rstrip() + dot + ext


def ascii_name(text: str, fallback: str) -> str:
    """`text` reduced to safe ASCII; `fallback` when what is left of its stem says little (a Chinese file name:
    "申请表 (1).pdf" would be "1.pdf")."""
    stem, dot, ext = _split(text)
    simple = _UNSAFE.sub("-", stem).strip("-.")
    dropped = any(ord(ch) > 127 for ch in stem)
    if len(re.findall(r"[A-Za-z0-9]", simple)) < (3 if dropped else 1):
        return fallback
    ext = _UNSAFE.sub("", ext)[:10]
    return simple[:MAX_NAME_CHARS] + (dot + ext if ext else "")


def send_named(source: Any, *, mimetype: str, name: str, ascii: str, as_attachment: bool) -> Response:
    """send_file with Content-Disposition naming the file `name` (Chinese allowed) and `ascii` for old clients."""
    resp = send_file(source, mimetype=mimetype, as_attachment=as_attachment, download_name=ascii)
    name = clean_name(name, ascii)
    names = {"filename": ascii}
    if name != ascii:
        names["filename*"] = "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    resp.headers.set("Content-Disposition", "attachment" if as_attachment else "inline", **names)
    return resp


def upload_ascii(filename: str, kind: str, ident: int | str) -> str:
    """The ASCII name of an uploaded file: its own name if it has one, else `<kind>-<id>.<ext>`."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "bin"
    return ascii_name(filename, f"{kind}-{ident}.{ext}")


def send_upload(upload: Any, kind: str) -> Response:
    """An uploaded file (an application's attachment, a correction request's evidence) as a download: its own
    name, `<kind>-<id>.<ext>` for old clients (upload_ascii)."""
    from core.uploads import path_for

    return send_named(path_for(upload.stored_name), mimetype=upload.content_type, as_attachment=True,
                      name=upload.filename, ascii=upload_ascii(upload.filename, kind, upload.id))


def send_pdf(data: bytes, *, name: str, ascii: str) -> Response:
    """A PDF the system made (a letter, a notice), shown in the browser: `name` (Chinese allowed), `ascii` for old
    clients."""
    import io

    return send_named(io.BytesIO(data), mimetype="application/pdf", as_attachment=False, name=name, ascii=ascii)
