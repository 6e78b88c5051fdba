"""Downloads keep their Chinese name (RFC 6266 filename*) and a readable ASCII name for old clients."""
import io
from urllib.parse import unquote

from core.downloads import ascii_name, clean_name, upload_ascii
from requests_module.models import DisclosureRequest
from tests.conftest import login, make_user
from tests.requests.test_pages import PNG, submit


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
    assert upload_ascii("申请表 (1).pdf", "attachment", 6) == "attachment-6.pdf"  # "1.pdf" says nothing
    assert upload_ascii(".pdf", "attachment", 7) == "attachment-7.pdf"


def test_the_utf8_name_is_safe_to_save():
    """No hidden file, no right-to-left override (which shows "fdp.exe" as "exe.pdf"), no control characters,
    no path, and within what file systems allow."""
    assert clean_name(".pdf", "attachment-7.pdf") == "attachment-7.pdf"
    assert clean_name("证明\u202efdp.exe", "x.bin") == "证明fdp.exe"
    assert clean_name("a/b\\c\x07.pdf", "x.pdf") == "a_b_c.pdf"
    long = clean_name("长" * 300 + ".pdf", "x.pdf")
    assert long.endswith(".pdf") and len(long.encode()) <= 255


def test_an_uploaded_file_downloads_under_its_chinese_name_and_an_ascii_one(app, client, seeded):
    make_user("citizen", "13800000001")
    login(client, "13800000001")
    submit(client, attachments=[(io.BytesIO(PNG), "身份证明.png")])
    req = DisclosureRequest.query.one()
    att = req.attachments[0]
    kind, simple, full = _names(client.get(f"/requests/{req.id}/attachments/{att.id}"))
    assert (kind, simple, full) == ("attachment", f"attachment-{att.id}.png", "身份证明.png")
