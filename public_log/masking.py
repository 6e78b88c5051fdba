"""Masking of personal data in Chinese text before anything is published (DESIGN §4, issue 6).

Detection runs on a copy where full-width digits and letters are folded to ASCII one character for
one character, so every span found maps back to the original text. Each masking is reported with
what was found, where and why, for the reviewer."""
import re
from dataclasses import dataclass

FULL = {chr(0xFF10 + i): str(i) for i in range(10)}
FULL.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
FULL.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
FULL.update({"－": "-", "＠": "@", "．": ".", "（": "(", "）": ")", "　": " "})

SEP = r"[ \-]?"
MOBILE = re.compile(r"(?<![\d])(?:\+?86[ \-]?)?1[3-9]\d" + SEP + r"\d{4}" + SEP + r"\d{4}(?![\d])")
LANDLINE = re.compile(r"(?<![\d])(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?\d{7,8}(?![\d])")
ID18 = re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
ID15 = re.compile(r"(?<![\d])\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\d])")
CARD = re.compile(r"(?<![\d])(?:\d{4}[ \-]?){3}\d{4}(?:[ \-]?\d{1,3})?(?![\d])")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE = re.compile(r"[" + PROVINCES + r"][A-Z][·•\.]?(?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF])(?![A-Za-z0-9])")
# A house number follows a road, lane, village or estate name: "人民中路8号3幢201室".
HOUSE = re.compile(r"(?<=[路街巷弄道村组苑园区里坊厦楼])\s?(\d+|[一二三四五六七八九十百]+)\s?(号楼|号|幢|栋|弄)"
                   r"(?:\s?\d+\s?(?:号楼|幢|栋|单元|层|楼|室|号))*")

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@dataclass(frozen=True)
class Masking:
    kind: str  # what: 手机号 / 固定电话 / 身份证号 / 银行卡号 / 电子邮箱 / 车牌号 / 门牌号 / 姓名
    start: int  # where, in the original text
    end: int
    replacement: str
    reason: str  # why


def _fold(text):
    return "".join(FULL.get(c, c) for c in text)


def _digits(s):
    return re.sub(r"\D", "", s)


def _valid_id18(s):
    total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
    return "10X98765432"[total % 11] == s[17].upper()


def _luhn(number):
    total, alt = 0, False
    for ch in reversed(number):
        d = int(ch)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total, alt = total + d, not alt
    return total % 10 == 0


def _name(name):
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def find(text, *, names=(), phones=(), ids=()):
    """All maskings for `text`; `names`, `phones` and `ids` are what the item recorded for its person."""
    folded = _fold(text)
    found = []

    def add(kind, m_start, m_end, replacement, reason):
        found.append(Masking(kind, m_start, m_end, replacement, reason))

    for m in ID18.finditer(folded):
        if _valid_id18(m.group(0)):
            add("身份证号", m.start(), m.end(), m.group(0)[:6] + "********" + m.group(0)[-4:], "18 位身份证号（校验码正确）")
    for m in ID15.finditer(folded):
        add("身份证号", m.start(), m.end(), m.group(0)[:6] + "*****" + m.group(0)[-4:], "15 位旧身份证号")
    for m in CARD.finditer(folded):
        d = _digits(m.group(0))
        if 16 <= len(d) <= 19 and _luhn(d):
            add("银行卡号", m.start(), m.end(), d[:4] + "*" * (len(d) - 8) + d[-4:], "银行卡号（Luhn 校验通过）")
    for m in MOBILE.finditer(folded):
        d = _digits(m.group(0))[-11:]
        add("手机号", m.start(), m.end(), d[:3] + "****" + d[-4:], "大陆手机号")
    for m in LANDLINE.finditer(folded):
        d = _digits(m.group(0))
        add("固定电话", m.start(), m.end(), d[:4] + "****" + d[-2:], "带区号的固定电话")
    for m in EMAIL.finditer(folded):
        local, _, domain = m.group(0).partition("@")
        add("电子邮箱", m.start(), m.end(), local[:1] + "***@" + domain, "电子邮箱")
    for m in PLATE.finditer(folded):
        add("车牌号", m.start(), m.end(), m.group(0)[:2] + "*" * (len(m.group(0)) - 2), "机动车号牌")
    for m in HOUSE.finditer(folded):
        add("门牌号", m.start(), m.end(), re.sub(r"\d+|[一二三四五六七八九十百]+", "*", m.group(0)).replace(" ", ""),
            "具体门牌号（保留到街道）")
    for value, kind in [(n, "姓名") for n in names] + [(p, "手机号") for p in phones] + [(i, "身份证号") for i in ids]:
        value = (value or "").strip()
        if len(value) < 2:
            continue
        for m in re.finditer(re.escape(_fold(value)), folded):
            replacement = _name(value) if kind == "姓名" else value[:3] + "****" + value[-4:]
            add(kind, m.start(), m.end(), replacement, "本件登记的申请人或来电人信息")
    return _resolve(found)


def _resolve(found):
    """Drop overlapping candidates: the earliest start wins, then the longest span."""
    out, last_end = [], -1
    for m in sorted(found, key=lambda x: (x.start, -(x.end - x.start))):
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


def mask(text, **known):
    """(masked text, [Masking]) — the public version of `text` and the list for the reviewer."""
    maskings = find(text or "", **known)
    out = text or ""
    for m in reversed(maskings):
        out = out[:m.start] + m.replacement + out[m.end:]
    return out, maskings
