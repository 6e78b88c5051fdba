"""The file name a browser saves a download under: the Chinese name (RFC 6266 `filename*`, UTF-8) and a
readable ASCII name for clients that ignore it (`filename`). Werkzeug's own fallback strips every Chinese
character, so "YSQ-2026-000012-补正告知书.pdf" would arrive as "YSQ-2026-000012-.pdf"."""
import re
from urllib.parse import quote

from flask import send_file

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_name(text, fallback):
    """`text` reduced to safe ASCII; `fallback` when its stem keeps nothing readable (a Chinese file name)."""
    stem, dot, ext = text.rpartition(".") if "." in text else (text, "", "")
    stem = _UNSAFE.sub("-", stem).strip("-.")
    if not re.search(r"[A-Za-z0-9]", stem):
        return fallback
    return stem + dot + _UNSAFE.sub("", ext)


def send_named(source, *, mimetype, name, ascii, as_attachment):
    """send_file with Content-Disposition naming the file `name` (Chinese allowed) and `ascii` for old clients."""
    resp = send_file(source, mimetype=mimetype, as_attachment=as_attachment, download_name=ascii)
    names = {"filename": ascii}
    if name != ascii:
        names["filename*"] = "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    resp.headers.set("Content-Disposition", "attachment" if as_attachment else "inline", **names)
    return resp


def upload_ascii(filename, kind, ident):
    """The ASCII name of an uploaded file: its own name if it has one, else `<kind>-<id>.<ext>`."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "bin"
    return ascii_name(filename, f"{kind}-{ident}.{ext}")
