"""Reviewers see each masked span marked in the text they approve (issue 18 item 14): the marks come from the
masking's own parts (masking.spans, the rule `apply` joins) and everything else on the page stays escaped."""
import re

from public_log.masking import apply, find, spans
from public_log.models import PublicRecord
from public_log.presenter import masked_markup
from tests.public_log.helpers import queue


def test_spans_are_the_parts_apply_joins():
    text = "张三，电话13911112222，身份证320902199001011234"
    found = find(text, names=["张三"])
    parts = spans(text, found)
    assert "".join(p for p, _ in parts) == apply(text, found)
    assert [m.kind for _, m in parts if m is not None] == [m.kind for m in found]
    assert {"姓名", "手机号"} <= {m.kind for m in found}
    assert spans("", []) == [("", None)] and spans("无", []) == [("无", None)]


def test_marks_are_escaped_and_name_the_kind(app, seeded):
    record = queue("<script>alert(1)</script>王五咨询", "王五<b>电话</b>13911112222",
                   "王五您好：<script>x()</script>请致电13911112222。", names=["王五"], phones=["13911112222"])
    marked = masked_markup(record)
    html = str(marked["reply_text"]["html"])
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert '<mark class="masked" title="手机号">139****2222' in html
    assert '<mark class="masked" title="姓名">王*' in html
    assert "&lt;b&gt;电话&lt;/b&gt;" in str(marked["request_text"]["html"])
    assert marked["title"]["count"] == 1 and marked["reply_text"]["current"] is True
    assert set(re.findall(r"<(/?\w+)", html)) == {"mark", "/mark", "span", "/span"}  # the only markup: the marks
    assert marked["reply_text"]["html"].count("<mark") == 2


def test_review_page_shows_marks_and_says_when_edited(client, as_role, app):
    record = queue("王五咨询低保", "王五，电话13911112222，咨询<script>alert(1)</script>", "王五您好。",
                   names=["王五"], phones=["13911112222"])
    as_role("approver", "mzj")
    html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
    assert '<mark class="masked" title="手机号">139****2222' in html and '<mark class="masked" title="姓名">王*' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "公开文本已经审查人修改" not in html
    from core.extensions import db
    db.session.get(PublicRecord, record.id).reply_text = "您好。"  # as after a reviewer's edit
    db.session.commit()
    html = client.get(f"/log/review/{record.id}").get_data(as_text=True)
    assert "公开文本已经审查人修改" in html
