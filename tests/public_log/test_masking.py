"""Masking personal data in realistic Chinese texts, and leaving dates, amounts and document numbers alone."""
import pytest

from public_log.masking import mask
from tests.public_log.corpus import luhn as luhn_complete


@pytest.mark.parametrize("text, expected", [
    ("请回电138 0000 1111，谢谢", "请回电138****1111，谢谢"),
    ("电话：138-0000-1111。", "电话：138****1111。"),
    ("手机１３８００００１１１１（全角）", "手机138****1111（全角）"),
    ("+86 13800001111", "138****1111"),
    ("办公室0515-88881234转分机", "办公室0515****34转分机"),
    ("身份证号11010519491231002X已核对", "身份证号110105********002X已核对"),
    ("旧证号110105491231002", "旧证号110105*****1002"),
    ("邮箱zhang.san@example.com联系", "邮箱z***@example.com联系"),
    ("车牌苏J·12345违停", "车牌苏J******违停"),
    ("新能源车苏JD12345", "新能源车苏J******"),
    ("住人民中路8号3幢201室", "住人民中路*号*幢*室"),
])
def test_personal_data_is_masked(text, expected):
    assert mask(text)[0] == expected


def test_bank_cards_pass_luhn_with_or_without_spaces():
    card = luhn_complete("622202020000123456")  # 19 digits
    spaced = " ".join(card[i:i + 4] for i in range(0, 19, 4))
    for text in (f"卡号{card}。", f"卡号 {spaced} 。"):
        masked, found = mask(text)
        assert card[:4] + "*" * 11 + card[-4:] in masked and found[0].kind == "银行卡号"
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert mask(f"卡号{wrong}")[1] == []  # not a card number: Luhn fails


@pytest.mark.parametrize("text", [
    "依据盐政办发〔2016〕50号文件",
    "国办公开办函〔2021〕30号",
    "答复期限为2026年10月30日",
    "2026-10-30前缴费1,200元",
    "补贴标准每人每月750.50元，共计1200000元",
    "第十六条第二款",
    "编号YSQ-2026-000123",
    "亭湖区2025年低保标准",
])
def test_negative_cases_stay_as_they_are(text):
    assert mask(text) == (text, [])


def test_the_items_own_people_are_masked_wherever_they_appear():
    text = "张三来电反映，张三的母亲李秀英也住在这里，电话13911112222"
    masked, found = mask(text, names=["张三", "李秀英"], phones=["13911112222"])
    assert masked == "张*来电反映，张*的母亲李**也住在这里，电话139****2222"
    assert [m.kind for m in found] == ["姓名", "姓名", "姓名", "手机号"]
    assert all(m.reason for m in found) and found[0].start == 0 and found[0].end == 2


def test_every_masking_names_what_where_why():
    text = "王五 13800001111 zw@x.cn"
    masked, found = mask(text, names=["王五"])
    assert [(m.kind, text[m.start:m.end]) for m in found] == [
        ("姓名", "王五"), ("手机号", "13800001111"), ("电子邮箱", "zw@x.cn")]
    assert "13800001111" not in masked and "王五" not in masked


def test_an_identity_number_with_a_typo_is_still_masked_with_less_confidence():
    masked, found = mask("身份证号110105194912310021有误")  # a birth date inside, the check digit wrong
    assert masked == "身份证号110105********0021有误"
    assert found[0].kind == "身份证号" and found[0].confidence == "中" and "校验码不符" in found[0].reason
    assert mask("订单号990105194912310021")[1] == []  # no region 9: not an identity number's shape
