"""Every notification text reads as one sentence (issue 18 item 7): free text typed with its own full stop or
semicolon does not make "。。" or "。；", and days are written one way (zh_date, no zero padding)."""
from datetime import date, datetime, timezone

import pytest
from jinja2 import meta

from core.formats import clause, detail_text, zh_date, zh_moment
from core.notifications.templates import TEMPLATES, _env, render

# Values as callers pass them, several typed with their own closing punctuation.
SAMPLE = {"label": "YSQ-2026-000001 低保名单", "clock_name": "答复期限", "due": date(2026, 12, 2),
          "department": "民政局", "year": 2027, "detail": "请写明所需年份。", "amount": "12.50",
          "basis": "国办函〔2020〕109号。", "method": "按件计收；", "standard": "每件 100 元。", "kind": "政府信息公开申请",
          "master": "12345-2026-000002", "link": "https://example.gov.cn/r/abc", "days": 7, "code": "123456",
          "minutes": 10, "received": date(2026, 11, 20), "confirm_by": date(2026, 11, 23),
          "on": date(2026, 11, 24), "record": "低保名单中本人住址有误。", "resolved": "未解决",
          "requester": "承办人张三", "result": "已批准", "author": "承办人张三", "outcome": "予以公开",
          "approver": "公开办李四", "note": "请补充法律依据。", "at": "2026年12月16日 10:00", "hours": 24,
          "count": 3, "by_department": "民政局 3 件", "shown": 3, "items": "1. YSQ-2026-000001 低保名单",
          "callers": 4, "grown": "（本次新增 2 件）", "token": "[RX-2026-000001#k7f3a9c2d1]",
          "text": "您反映的噪声问题已转交城管局核查。"}


@pytest.mark.parametrize("event", sorted(TEMPLATES))
def test_every_message_renders_without_double_punctuation(event):
    subject_src, body_src = TEMPLATES[event]
    names = meta.find_undeclared_variables(_env.parse(subject_src + body_src))
    assert names <= SAMPLE.keys(), f"add sample values for {names - SAMPLE.keys()}"
    subject, body = render(event, SAMPLE)
    for text in (subject, body):
        for bad in ("。。", "。；", "；。", "；；", "，。"):
            assert bad not in text, (event, text)
        assert "12月02日" not in text and "2026-12-02" not in text
    if "due" in names:
        assert "2026年12月2日" in subject + body


def test_a_reason_typed_with_a_full_stop_is_one_sentence():
    _, body = render("extension", {"label": "YSQ-1", "days": 10, "due": "2026年12月2日", "detail": "需要调取档案。 "})
    assert body.endswith("理由：需要调取档案。")


def test_clause_and_detail_text():
    assert clause("请补充。；") == "请补充" and clause(None) == "" and clause("（见附件）") == "（见附件）"
    assert detail_text("2026-12-02") == "2026年12月2日" == zh_date(date(2026, 12, 2))
    assert detail_text(["a", None, "b"]) == "a、b" and detail_text({"k": True, "x": ""}) == "k：是"
    assert detail_text(False) == "否" and detail_text("2026-13-45") == "2026-13-45" and detail_text(3) == "3"
    moment = datetime(2026, 12, 2, 1, 30, tzinfo=timezone.utc)
    from zoneinfo import ZoneInfo
    assert zh_moment(moment, ZoneInfo("Asia/Shanghai")) == "2026年12月2日 09:30"
