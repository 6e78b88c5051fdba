"""Uploads are judged by content: Word and Excel (OOXML packages and legacy OLE2 files) are accepted like PDF/JPG/PNG;
a renamed executable, a macro-enabled package and a zip bomb are refused with a message naming the file and the
accepted kinds (issue 18 item 13)."""
import io
import zipfile

import pytest

from core.errors import ValidationError
from core.uploads import DOC, DOCX, XLS, XLSX, check_files

TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' \
        '<Override PartName="/{part}" ContentType="application/vnd.{ct}"/></Types>'


def package(part, ct, extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", TYPES.format(part=part, ct=ct))
        z.writestr(part, "<x/>")
        for name, data in extra:
            z.writestr(name, data)
    return buf.getvalue()


def docx():
    return package("word/document.xml", "openxmlformats-officedocument.wordprocessingml.document.main+xml")


def xlsx():
    return package("xl/workbook.xml", "openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def ole2(stream):
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 64


def test_word_and_excel_are_accepted_by_content(app):
    with app.app_context():
        kinds = [f.content_type for f in check_files([("答复.docx", docx()), ("统计.xlsx", xlsx()),
                                                      ("旧版.doc", ole2("WordDocument")), ("旧表.xls", ole2("Workbook"))])]
    assert kinds == [DOCX, XLSX, DOC, XLS]


def test_the_name_does_not_decide(app):
    with app.app_context():
        # a workbook named .pdf is a workbook; an executable named .docx is refused
        assert check_files([("名为pdf.pdf", xlsx())])[0].content_type == XLSX
        with pytest.raises(ValidationError) as refused:
            check_files([("报告.docx", b"MZ\x90\x00\x03" + b"\0" * 200)])
    assert "“报告.docx”" in refused.value.message and "Word" in refused.value.message \
        and "Excel" in refused.value.message and refused.value.field == "attachments"


@pytest.mark.parametrize("data", [
    package("xl/workbook.xml", "ms-excel.sheet.macroEnabled.main+xml", [("xl/vbaProject.bin", b"x")]),
    package("word/document.xml", "openxmlformats-officedocument.wordprocessingml.document.main+xml",
            [("word/vbaProject.bin", b"x")]),
    ole2("WordDocument") + "Macros".encode("utf-16-le"),
    package("other/part.xml", "something"),  # a ZIP but neither Word nor Excel
    b"PK\x03\x04 not really a zip",
])
def test_macros_and_other_packages_are_refused(app, data):
    with app.app_context(), pytest.raises(ValidationError) as refused:
        check_files([("文件.docx", data)])
    assert "“文件.docx”不是" in refused.value.message


def test_a_zip_bomb_is_refused_without_unpacking(app):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", TYPES.format(part="word/document.xml", ct="x.wordprocessingml"))
        z.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros packs to ~20 KB
    with app.app_context(), pytest.raises(ValidationError) as refused:
        check_files([("炸弹.docx", buf.getvalue())])
    assert "压缩比异常" in refused.value.message or "解压后过大" in refused.value.message
