"""Downloads keep their Chinese name (RFC 6266 filename*) and a readable ASCII name for old clients."""
import io
from urllib.parse import unquote

from requests_module.models import DisclosureRequest
from tests.conftest import login, make_user
from tests.requests.test_pages import PNG, submit

from core.downloads import ascii_name, upload_ascii


def _names(resp):
    disposition = resp.headers["Content-Disposition"]
    parts = dict(p.strip().split("=", 1) for p in disposition.split(";")[1:])
    return disposition.split(";")[0], parts["filename"].strip('"'), unquote(parts.get("filename*", "''").split("''", 1)[1])


def test_ascii_names_keep_something_readable():
    assert ascii_name("YSQ-2026-000012-补正告知书.pdf", "x.pdf") == "YSQ-2026-000012.pdf"
    assert ascii_name("证明.png", "attachment-3.png") == "attachment-3.png"
    assert upload_ascii("证明.PNG", "attachment", 3) == "attachment-3.png"
    assert upload_ascii("scan 1.pdf", "evidence", 4) == "scan-1.pdf"
    assert upload_ascii("无扩展名", "evidence", 5) == "evidence-5.bin"


def test_an_uploaded_file_downloads_under_its_chinese_name_and_an_ascii_one(app, client, seeded):
    make_user("citizen", "13800000001")
    login(client, "13800000001")
    submit(client, attachments=[(io.BytesIO(PNG), "身份证明.png")])
    req = DisclosureRequest.query.one()
    att = req.attachments[0]
    kind, simple, full = _names(client.get(f"/requests/{req.id}/attachments/{att.id}"))
    assert (kind, simple, full) == ("attachment", f"attachment-{att.id}.png", "身份证明.png")
