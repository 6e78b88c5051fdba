"""One source for each small rule (issue 17): the Chinese formats and checks of core/formats.py and the
date parser of core/inputs.py that every view and API reads dates with."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from core.errors import ValidationError
from core.formats import (
    is_email,
    is_landline,
    is_mobile,
    is_phone,
    resident_id_check_char,
    valid_resident_id,
    valid_uscc,
    zh_date,
)
from core.inputs import date_field, parse_date


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_resident_ids_with_their_check_character_pass(number):
    assert valid_resident_id(number) and resident_id_check_char(number[:17]) == number[17]


@pytest.mark.parametrize("number", [
    "110105194912310021",  # last character wrong
    "11010519491231002x",  # the X is upper-case once cleaned (the forms upper-case it)
    "440524188001010015", "44052418800101001", "4405241880010100144", "44052418800101001A", "",
])
def test_resident_ids_with_a_wrong_check_character_or_shape_fail(number):
    assert not valid_resident_id(number)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91330100716105852F"])
def test_uscc_with_their_check_character_pass(code):
    assert valid_uscc(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91330100716105852G", "91350100M000100Y4",
                                  "91350100I000100Y43", "91350100m000100Y43", "11010519491231002X", ""])
def test_uscc_with_a_wrong_check_character_or_letter_fail(code):
    assert not valid_uscc(code)


def test_phone_patterns():
    for mobile in ("13800001111", "19912345678", "16600000000"):
        assert is_mobile(mobile) and is_phone(mobile) and not is_landline(mobile)
    for landline in ("0515-88888888", "051588888888", "010-1234567", "02112345678"):
        assert is_landline(landline) and is_phone(landline) and not is_mobile(landline)
    for bad in ("12800001111", "1380000111", "138000011112", "0515-888888", "515-88888888", "0515--88888888",
                "13800001111\n", " 13800001111", "+8613800001111", ""):
        assert not is_phone(bad), bad
    assert is_email("a@b.cn") and not is_email("a b@c.cn") and not is_email("a@b")


def test_date_display():
    assert zh_date(date(2026, 11, 30)) == "2026年11月30日"
    assert zh_date(date(2027, 1, 5)) == "2027年1月5日"
    assert zh_date(None) == ""


@pytest.mark.parametrize("value", [
    "2026-11-20\x00", "\x00", "0001-01-01", "9999-12-31", "99999999999-01-01", "9" * 5000, "2026-02-30",
    "2026-11-20T00:00", "２０２６-１１-２０", "20261120", 20261120, 2026.5, ["2026-11-20"], {"on": 1}, True, "",
    None,
])
def test_the_date_parser_refuses_bad_input_with_a_value_error_only(value):
    with pytest.raises(ValueError) as refused:
        parse_date(value)
    assert "\x00" not in str(refused.value) and len(str(refused.value)) < 120


def test_the_date_parser_reads_a_date_and_names_a_bad_one():
    assert parse_date(" 2026-11-20 ") == date(2026, 11, 20)
    with pytest.raises(ValueError, match="日期格式应为 YYYY-MM-DD，收到 “2026/11/20”"):
        parse_date("2026/11/20")
    with pytest.raises(ValueError, match="年份应在 1900 到 2100 之间"):
        parse_date("0001-01-01")
    with pytest.raises(ValueError, match="不存在的日期 “2026-02-30”"):
        parse_date("2026-02-30")


def test_a_date_field_of_a_request():
    today = date(2026, 11, 30)
    assert date_field({"on": "2026-11-20"}, "on", default=today) == date(2026, 11, 20)
    assert date_field({"on": ""}, "on", default=today) == today and date_field({}, "on", default=today) == today
    assert date_field(MultiDict({"valid_from": ""}), "valid_from") is None
    with pytest.raises(ValidationError) as refused:
        date_field({}, "filed_on", required=True)
    assert refused.value.fields == {"filed_on": "日期格式应为 YYYY-MM-DD，收到 “”"}
    for bad in ("9999-12-31", 20261120, "2026-11-20\x00", ["x"]):
        with pytest.raises(ValidationError) as refused:
            date_field(MultiDict({"valid_from": bad}) if isinstance(bad, str) else {"valid_from": bad}, "valid_from",
                       label="有效期")
        assert refused.value.field == "valid_from" and refused.value.message.startswith("有效期：")


def test_local_datetime_is_the_one_date_time_display():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from core.formats import local_datetime
    moment = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    assert local_datetime(moment, ZoneInfo("Asia/Shanghai")) == "2026-11-20 10:00"
    assert local_datetime(None) == ""
