"""Department suggestion ignores a keyword inside a longer digit run (issue 16 item 9): "12345" in a
caller's phone number or in a ticket number is no reason to suggest the 政务办."""
import pytest

from core.departments.routing import contains_keyword, suggest_departments
from core.departments.service import active_departments
from hotline import suggest


@pytest.mark.parametrize("text, found", [
    ("拨打12345反映政务公开问题", True),
    ("12345", True),
    ("热线 12345。", True),
    ("来电人电话13812345678", False),        # inside a mobile number
    ("工单号 RX-2026-012345 的后续", False),  # inside a ticket number
    ("电话123456", False),                   # the keyword runs on into another digit
    ("座机 0515-12345", True),               # the hotline number itself, after a separator
    ("电话１３８１２３４５６７８", False),      # full-width digits are digits too
    ("先是13812345678，后来又打12345", True),  # a later whole occurrence still counts
])
def test_a_digit_keyword_matches_only_as_a_whole_run(text, found):
    assert contains_keyword(text, "12345") is found


def test_latin_and_chinese_keywords():
    assert contains_keyword("APP 无法登录", "app") and not contains_keyword("whatsapp 群", "app")
    assert contains_keyword("城乡低保申请", "低保")  # Chinese has no runs: unchanged


def test_routing_ignores_the_hotline_number_inside_a_phone_number(seeded):
    deps = active_departments()
    assert suggest_departments("来电人电话13812345678，请回电", deps) == []
    assert not any("12345" in s.reason for s in suggest_departments("来电人13812345678反映政务公开", deps))
    assert not any("12345" in s.reason for s in suggest_departments("请回复工单RX-2026-012345", deps))
    best = suggest_departments("拨打12345反映政务公开不及时", deps)[0]
    assert "12345" in best.reason and best.department.code == "zfb"


def test_console_suggestion_ignores_a_phone_number_in_the_content(hot, now):
    dep, reason = suggest.department(None, "我的电话是13812345678，请回电", now)
    assert dep is None and reason == ""
    dep, reason = suggest.department(None, "我打了12345，政务公开没人管", now)
    assert dep is not None and "12345" in reason
