"""Masking of personal data in Chinese text before anything is published (DESIGN §4, issues 6 and 13).

The engine normalises before it matches, on a view of the text that keeps one character for each
original character, so every span found maps back to the original:
- Unicode NFKC (full-width digits and letters, no-break and ideographic spaces, ＠ ＃ －);
- zero-width characters become separators;
- Chinese numerals (〇零一二…九, 壹贰叁…玖, 幺, 两) read as digits where five or more form a number;
- separators (spaces of every kind, zero-width characters, - — – _ . / · and brackets) are tolerated
  inside numbers: digit groups joined by them form one chain, and a number is any run of whole groups.

Detectors: identity numbers (18 digits with check digit, 15-digit old ones), bank cards (Luhn),
mobiles (also +86), landlines (with area code, or without one after a phone cue), QQ numbers and
WeChat ids (after their cue), emails (also "at"/"dot"/。 obfuscated), plates (with space, dash, dot,
挂/学 suffixes, new-energy), passports and permits, house/building/unit/room numbers (人民中路8号,
12-2-1402室, 5号楼, A座, 18#楼), the item's recorded people (names with any separator inside, phones
and IDs in any form) and names of people the text mentions with a context cue (经与…核实, …同志,
…先生/女士, 我叫…), confirmed by jieba's person-name tagging. Official contact data (departments'
phone numbers and mail domains, *.gov.cn) is never masked.

Every detector is linear in the length of the text: bounded quantifiers over disjoint character
classes, chains examined over at most 19 digits from each group, the name tagger run on short windows
at most NAME_TAGGER_BUDGET times per text. Each masking says what, where, why and how sure."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from core.formats import is_mobile, valid_resident_id
from public_log.masking_data import (
    AFTER_CUES,
    BEFORE_CUES,
    COMMON_SURNAMES,
    COMPOUND_SURNAMES,
    NAME_FOLLOWERS,
    NOT_NAME_ENDINGS,
    NOT_NAMES,
    PUBLIC_FIGURES,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
CN_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")}, "零": "0", "幺": "1", "两": "2",
             **{c: str(i + 1) for i, c in enumerate("壹贰叁肆伍陆柒捌玖")}}
_SEP = r"[\s\u200b\-—–‐‑−ー_./·•()\[\]【】~～:：,，、+]"
# A run of five or more digits, Chinese numerals among them (1三8零0001111), read as digits.
_CN_RUN = re.compile("(?:[0-9" + "".join(CN_DIGITS) + "]" + _SEP + "{0,2}){4,}[0-9" + "".join(CN_DIGITS) + "]")
_CHAIN = re.compile(r"(?<![A-Za-z0-9])\d(?:" + _SEP + r"{0,3}\d)*(?:" + _SEP + r"{0,2}[Xx])?")
_GROUP = re.compile(r"\d+|[Xx]")
_PHONE_CUE = re.compile(r"电话|座机|手机|致电|拨打|来电|联系|热线|号码|固话|回电|回拨|打给|传真|tel|phone|☎", re.I)
_QQ_CUE = re.compile(r"q[ ]?q|扣扣|q号|企鹅号", re.I)
_LOCAL = (r"(?:(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}"
          r"|[\u4e00-\u9fff]{1,3}(?=[ \t]?[@#艾(\[]))")  # ASCII, or a name before the at sign (张三@qq.com)
_LABEL = r"[A-Za-z0-9\-]{1,63}"
_EMAIL = re.compile(_LOCAL + r"(?P<at>[ \t]?@[ \t]?|[ \t]?[(\[]at[)\]][ \t]?|[ \t]+at[ \t]+|[ \t]?艾特[ \t]?|#)"
                    + _LABEL + r"(?:(?:[ \t]?(?:\.|。|[(\[]dot[)\]]|点|,|，)[ \t]?|[ \t]+dot[ \t]+)" + _LABEL + r"){1,6}",
                    re.I)
_EMAIL_HINT = re.compile(r"[@#]|艾特|[ (\[]at[ )\]]", re.I)
_TLDS = {"com", "cn", "net", "org", "gov", "edu", "info", "io", "me", "cc", "top", "xyz", "biz", "hk", "tw", "mo"}
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(r"[" + PROVINCES + r"][ ·\-]?[A-Za-z][ ·•.\-]?(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|"
                    r"[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳])(?![A-Za-z0-9])")
_PASSPORT_CUE = re.compile(r"(?:护照|通行证|回乡证|台胞证|居留证|签证)(?:号码|号)?[:： ]{0,2}([A-Za-z]{1,2}\d{6,10})(?![A-Za-z0-9])")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])E[A-Z]?\d{7,8}(?![A-Za-z0-9])")
_WECHAT = re.compile(r"(?=[微威薇VvWw])(?:微[ ]?信号?|[威薇]信号?|[vV]信号?|wechat(?:[ ]?id)?|weixin|vx|wx)[ ]?号?[ ]?[:：]?[ ]?"
                     r"([A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])",
                     re.I)
_NUM = r"(?:\d{1,5}|[一二三四五六七八九十百〇零两]{1,4})"
_UNIT = r"(?:号楼|幢|栋|单元|层|楼|室|号|户|房间|房)"
_ROOM_TAIL = r"(?:[ ]?\d{3,4}(?![\d\-]))?"  # 3栋2单元1402: the room number written bare at the end
_HOUSE = re.compile(
    r"(?=[ 0-9一二三四五六七八九十百〇零两A-Za-z])"  # a cheap first look at each position
    r"(?:(?<=[路街巷弄道村组苑园区里坊厦楼])[ ]?" + _NUM + r"[ ]?(?:号楼|号|幢|栋|弄)(?:[ ]?" + _NUM + r"[ ]?" + _UNIT + r")*"
    + _ROOM_TAIL +
    r"|(?<![\d\-])\d{1,3}[-—]\d{1,2}(?:[-—]\d{1,4})?[ ]?(?:室|户|房间)"  # 12-2-1402室
    r"|(?<![\d\-])\d{1,3}[-—]\d{1,2}[-—]\d{3,4}(?![\d\-])"  # 12-2-1402 (dates have a 4-digit year first)
    r"|\d{1,4}[ ]?#[ ]?(?:号楼|楼|栋|幢)?(?:[ ]?\d{1,4}[ ]?" + _UNIT + r")*" + _ROOM_TAIL +
    r"|" + _NUM + r"[ ]?(?:号楼|幢|栋|单元)(?:[ ]?" + _NUM + r"[ ]?" + _UNIT + r")*" + _ROOM_TAIL +
    r"|(?<![\d])\d{3,4}[ ]?(?:室|房间)"  # 住在1402室
    r"|(?<![A-Za-z])[A-Za-z][ ]?座(?:[ ]?\d{1,5}[ ]?(?:室|号)?)?)")
_HOUSE_PART = re.compile(r"[0-9A-Za-z一二三四五六七八九十百〇零两]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUN_END = re.compile(r"[\u4e00-\u9fff]{2,5}$")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,5}")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
_LIST_NEXT = re.compile(r"[、和及与][\u4e00-\u9fff]{2,5}")
_AFTER = re.compile("|".join(AFTER_CUES))
_BEFORE = re.compile("|".join(BEFORE_CUES))
NAME_TAGGER_BUDGET = 4  # jieba's HMM costs ~0.5 ms a window: a bound on a crafted text full of cues


@dataclass(frozen=True)
class Masking:
    kind: str  # what: 手机号 / 固定电话 / 身份证号 / 银行卡号 / 电子邮箱 / 车牌号 / 门牌号 / 姓名 / QQ号 / 微信号 / 证件号
    start: int  # where, in the original text
    end: int
    replacement: str
    reason: str  # why
    confidence: str = "高"  # how sure: 高 (pattern with checks) / 中 (context cue without the tagger's word)


@dataclass(frozen=True)
class Official:
    """Contact data that is not personal: official phone numbers (digits) and mail domains."""
    phones: frozenset[str] = field(default_factory=frozenset)
    domains: frozenset[str] = field(default_factory=frozenset)

    def has_phone(self, digits: str) -> bool:
        return digits in self.phones

    def has_domain(self, domain: str) -> bool:
        domain = domain.lower()
        return domain == "gov.cn" or domain.endswith(".gov.cn") or any(
            domain == d or domain.endswith("." + d) for d in self.domains)


def _without_area_code(digits: str) -> str:
    """The local part of a landline written with its 3- or 4-digit area code (0515-88881234 → 88881234)."""
    return digits[-8:] if len(digits) - 8 in (3, 4) else digits[-7:]


def official_from(phones: Iterable[str | None] = (), emails: Iterable[str | None] = ()) -> Official:
    """An Official from phone fields (several numbers may share one field) and email addresses."""
    digits: set[str] = set()
    for field_value in phones:
        for number in re.split(r"[,，;；、/]|\s{2,}", field_value or ""):
            d = re.sub(r"\D", "", number)
            if len(d) >= 5:
                digits.add(d)
                if d.startswith("0") and len(d) >= 10:
                    digits.add(_without_area_code(d))  # the same line dialled locally
    domains = {e.rpartition("@")[2].strip().lower() for e in emails if e and "@" in e}
    return Official(frozenset(digits), frozenset(d for d in domains if d))


NO_OFFICIAL = Official()


class _Add(Protocol):
    """How a detector reports a masking: find()'s `add`."""

    def __call__(self, kind: str, start: int, end: int, replacement: str, reason: str,
                 confidence: str = "高") -> None: ...


@functools.lru_cache(maxsize=4096)
def _norm_char(c: str) -> str:
    if c in ZERO_WIDTH:
        return "\u200b"
    if c == "×":
        return "X"  # an identity number's X written as a times sign
    if c.isdigit() and not c.isascii():
        value = unicodedata.digit(c, None)  # Arabic-Indic, Devanagari … digits
        if value is not None:
            return str(value)
    n = unicodedata.normalize("NFKC", c)
    if len(n) == 1:
        return n
    digits = [x for x in n if x.isdigit()]
    if len(digits) == 1:
        return digits[0]  # ⑴ ⒈ and the like
    return " " if not n.strip() else c


_OTHER_DIGIT = re.compile(r"[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef](?<=\d)")
_FAST = {**{0xFF01 + i: chr(0x21 + i) for i in range(94)}, 0x3000: " ", 0x00A0: " ", 0x00D7: "X",
         **{ord(c): "\u200b" for c in ZERO_WIDTH}}


def normalised_view(text: str) -> str:
    """The text as the detectors read it, one character for each original character."""
    fast = text.translate(_FAST)  # full-width forms and spaces, in C
    if fast.isascii() or (unicodedata.is_normalized("NFKC", fast) and not _OTHER_DIGIT.search(fast)):
        chars = list(fast)
    else:
        chars = [_norm_char(c) for c in text]
    view = "".join(chars)
    for m in _CN_RUN.finditer(view):
        run = m.group(0)
        numerals = [i for i, c in enumerate(run) if c in CN_DIGITS]
        if not numerals:
            continue
        ascii_at = [i for i, c in enumerate(run) if c.isascii() and c.isdigit()]
        for i in numerals:
            # Five numerals make a number; fewer count only between ASCII digits (1三8零0001111), so
            # that 王五 13800001111 keeps its name.
            if len(numerals) >= 5 or (ascii_at and ascii_at[0] < i < ascii_at[-1]):
                chars[m.start() + i] = CN_DIGITS[run[i]]
    return "".join(chars)


def _id18_shape(s: str) -> bool:
    """An identity number's shape: region 1–8, a birth date 18xx–20xx."""
    return (s[:17].isdigit() and (s[17].isdigit() or s[17] in "Xx") and s[0] in "12345678"
            and 1 <= int(s[10:12]) <= 12 and 1 <= int(s[12:14]) <= 31 and s[6:8] in ("18", "19", "20"))


def _valid_id18(s: str) -> bool:
    return _id18_shape(s) and valid_resident_id(s.upper())


def _valid_id15(s: str) -> bool:
    return 1 <= int(s[8:10]) <= 12 and 1 <= int(s[10:12]) <= 31


def _luhn(number: str) -> bool:
    total, alt = 0, False
    for ch in reversed(number):
        d = int(ch)
        if alt:
            d = d * 2 - 9 if d > 4 else d * 2
        total, alt = total + d, not alt
    return total % 10 == 0


def _classify(d: str, short_inside: bool, cues: frozenset[str], known: set[str]) -> tuple[str, str, str] | None:
    """(kind, replacement, reason) for the digits `d` of a run of whole groups, or None; `short_inside`:
    a group before the last one has fewer than four digits (not how card numbers are grouped)."""
    n = len(d)
    if d.upper() in known:
        kind = "身份证号" if n >= 15 else "手机号"
        return kind, (d[:3] + "****" + d[-4:]) if n >= 11 else "****" + d[-2:], "本件登记的申请人或来电人信息"
    if n == 18 and _valid_id18(d):
        return "身份证号", d[:6] + "********" + d[-4:], "18 位身份证号（校验码正确）"
    if not d.isdigit():
        if n == 18 and _id18_shape(d):
            return "身份证号", d[:6] + "********" + d[-4:], "疑似身份证号（校验码不符）"
        return None
    if (16 <= n <= 19 and (d[0] in "3456" or (n == 19 and d[0] == "9")) and not short_inside
            and _luhn(d)):
        return "银行卡号", d[:4] + "*" * (n - 8) + d[-4:], "银行卡号（Luhn 校验通过）"
    if n == 18 and _id18_shape(d):
        return "身份证号", d[:6] + "********" + d[-4:], "疑似身份证号（校验码不符）"
    if is_mobile(d):
        return "手机号", d[:3] + "****" + d[-4:], "大陆手机号"
    if (n == 13 and d.startswith("86") and is_mobile(d[2:])) or (n == 15 and d.startswith("0086") and is_mobile(d[4:])):
        return "手机号", d[-11:-8] + "****" + d[-4:], "大陆手机号"
    if n == 15 and _valid_id15(d):
        return "身份证号", d[:6] + "*****" + d[-4:], "15 位旧身份证号"
    if 10 <= n <= 12 and d[0] == "0" and d[1] != "0":
        return "固定电话", d[:4] + "****" + d[-2:], "带区号的固定电话"
    if 7 <= n <= 8 and d[0] in "2345678" and "phone" in cues:
        return "固定电话", "****" + d[-2:], "固定电话（前有电话提示）"
    if 5 <= n <= 11 and d[0] != "0" and "qq" in cues:
        return "QQ号", d[:2] + "*" * (n - 4) + d[-2:], "QQ 号（前有 QQ 提示）"
    return None


_MONTHS = {f"{m:02d}" for m in range(1, 13)}
_DAYS = {f"{d:02d}" for d in range(1, 32)}


def _worth(number: str, length: int, short_inside: bool) -> bool:
    """A cheap first look: could some detector accept `number`? (Most runs of digits fail here.)"""
    first = number[0]
    if length == 18:
        return first in "12345678" and number[6:8] in ("18", "19", "20") or (not short_inside and first in "3456")
    if length == 15:
        return number[8:10] in _MONTHS and number[10:12] in _DAYS or number.startswith("0086")
    if length >= 16:
        return not short_inside and (first in "3456" or first == "9")
    if length == 11:
        return first == "1" and number[1] in "3456789" or first == "0"
    if length in (10, 12):
        return first == "0" and number[1] != "0"
    if length == 13:
        return number.startswith("861")
    return True  # 5–9 digits: only asked for after a cue, or as a recorded value


@functools.lru_cache(maxsize=256)
def _lengths(first: str, cues: frozenset[str], extra: frozenset[int]) -> tuple[int, ...]:
    """The lengths, longest first, a number starting with the digit `first` can have for some detector."""
    lengths = {18, 15} | set(extra)
    lengths |= {"0": {10, 11, 12, 15}, "1": {11}, "3": {16, 17, 18, 19}, "4": {10, 16, 17, 18, 19},
                "5": {16, 17, 18, 19}, "6": {16, 17, 18, 19}, "8": {10, 13}, "9": {19}}.get(first, set())
    if "phone" in cues:
        lengths |= {7, 8}
    if "qq" in cues:
        lengths |= set(range(5, 12))
    return tuple(sorted(lengths, reverse=True))


def _numbers(view: str, known: set[str], official: Official, add: _Add) -> None:
    extra = frozenset({len(k) for k in known} | {len(p) for p in official.phones})
    has_special = bool(known or official.phones)
    for chain in _CHAIN.finditer(view):
        if chain.end() - chain.start() < 5:
            continue  # no detector wants fewer than five digits
        before = view[max(0, chain.start() - 12):chain.start()]
        cues = frozenset(name for name, cue in (("phone", _PHONE_CUE), ("qq", _QQ_CUE)) if cue.search(before))
        base = chain.start()
        groups = [(base + g.start(), base + g.end(), g.group(0)) for g in _GROUP.finditer(chain.group(0))]
        digits = "".join(g[2] for g in groups)
        offsets, at = [], 0  # where each group starts in `digits`
        for g in groups:
            offsets.append(at)
            at += len(g[2])
        group_at = {off: k for k, off in enumerate(offsets)}  # a group starting at this offset
        short = [0]  # groups shorter than 4 digits before each group (card groupings)
        for g in groups:
            short.append(short[-1] + (len(g[2]) < 4))
        i = 0
        while i < len(groups):
            off, best = offsets[i], None
            for length in _lengths(digits[off], cues, extra):
                end = off + length
                if end == len(digits):
                    j = len(groups) - 1
                elif end in group_at:
                    j = group_at[end] - 1
                else:
                    continue  # no run of whole groups has this length here
                number = digits[off:end]
                short_inside = short[j] - short[i] > 0
                special = has_special and (number.upper() in known or official.has_phone(number))
                if not special and not _worth(number, length, short_inside):
                    continue
                if (special and official.has_phone(number)) or (length == 10 and number[:3] in ("400", "800")):
                    best = (j, None)  # an office line or a public service number stays
                    break
                found = _classify(number, short_inside, cues, known)
                if found:
                    best = (j, found)
                    break
            if best is None:
                i += 1
                continue
            j, found = best
            if found:
                start = groups[i][0]
                if start and view[start - 1] == "+":
                    start -= 1  # +86 …: the country code's plus sign goes with the number
                add(found[0], start, groups[j][1], found[1], found[2], "中" if found[2].startswith("疑似") else "高")
            i = j + 1


def _emails(view: str, official: Official, add: _Add) -> None:
    if not _EMAIL_HINT.search(view):
        return  # no at sign in any form: no email
    for m in _EMAIL.finditer(view):
        text = m.group(0)
        at_end = m.end("at") - m.start()
        domain = re.sub(r"[ \t]*(?:。|[(\[]dot[)\]]|点|,|，|[ \t]dot[ \t])[ \t]*", ".", text[at_end:], flags=re.I).strip()
        tld = domain.rsplit(".", 1)[-1].lower()
        plain = m.group("at").strip() == "@" and "," not in text and "，" not in text
        if not tld.isalpha() or len(tld) < 2 or (not plain and tld not in _TLDS):
            continue
        if official.has_domain(domain):
            continue
        add("电子邮箱", m.start(), m.end(), text[0] + "***@" + domain, "电子邮箱" if plain else "电子邮箱（变形写法）")


def _patterns(view: str, add: _Add) -> None:
    for m in _PLATE.finditer(view):
        add("车牌号", m.start(), m.end(), m.group(0)[:2] + "*" * (len(m.group(0)) - 2), "机动车号牌")
    for m in _PASSPORT_CUE.finditer(view):
        value = m.group(1)
        add("证件号", m.start(1), m.end(1), value[0] + "*" * (len(value) - 3) + value[-2:], "护照或通行证号码")
    for m in _PASSPORT.finditer(view):
        value = m.group(0)
        add("证件号", m.start(), m.end(), value[0] + "*" * (len(value) - 3) + value[-2:], "护照号码")
    for m in _WECHAT.finditer(view):
        add("微信号", m.start(1), m.end(1), m.group(1)[0] + "***", "微信号（前有微信提示）")
    for m in _HOUSE.finditer(view):
        add("门牌号", m.start(), m.end(), _HOUSE_PART.sub("*", m.group(0)).replace(" ", ""), "具体门牌号（保留到街道）")


def _loose(value: str) -> re.Pattern[str]:
    """A regex for a recorded value with any separator between its characters, case-blind."""
    return re.compile((_SEP + "{0,2}").join(re.escape(c) for c in value), re.I)


def _recorded_names(view: str, names: Iterable[str | None], add: _Add) -> None:
    for name in names:
        name = normalised_view((name or "").strip())
        name = re.sub(_SEP, "", name)[:30]  # a person's name; longer values would only cost time
        if len(name) < 2:
            continue
        for m in _loose(name).finditer(view):
            add("姓名", m.start(), m.end(), name[0] + "*" * (len(name) - 1), "本件登记的申请人或来电人信息")


def _surname_len(word: str) -> int:
    if word[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if word[0] in COMMON_SURNAMES else 0


@functools.lru_cache(maxsize=2048)
def _tagged_names(window: str) -> tuple[tuple[int, int], ...]:
    """Person names (jieba's nr tag) in a short window, as (start, end) in the window."""
    import jieba.posseg as pseg

    from public_log.segment import _jieba
    _jieba()
    spans, pos = [], 0
    for word, flag in pseg.cut(window):
        if flag.startswith("nr") and 2 <= len(word) <= 4 and _HAN.match(word):
            spans.append((pos, pos + len(word)))
        pos += len(word)
    return tuple(spans)


def _without_follower(run: str) -> str:
    """经与王建华核实 → 王建华, 赵先生称 → 赵 (too short: no name): what follows a name is not part of it."""
    cut = len(run)
    for follower in NAME_FOLLOWERS + tuple(AFTER_CUES):
        at = run.find(follower, 1)
        if 0 < at < cut:
            cut = at
    return run[:cut]


def _sure(spans: Iterable[tuple[int, int]], start: int, end: int) -> str:
    """高 when the tagger also reads a person's name there, else 中 (cue and surname only)."""
    return "高" if any(s <= start and end <= e or (start <= s and e <= end) for s, e in spans) else "中"


def _plausible(word: str) -> bool:
    return ((word[:1] in COMMON_SURNAMES or word[:2] in COMPOUND_SURNAMES) and _HAN_WORD.fullmatch(word) is not None
            and word not in NOT_NAMES and word not in COMPOUND_SURNAMES and not word.endswith(NOT_NAME_ENDINGS)
            and not (word in PUBLIC_FIGURES or word[1:] in PUBLIC_FIGURES or word[2:] in PUBLIC_FIGURES)
            and _AFTER.search(word) is None)


def _cued_names(view: str, add: _Add) -> None:
    budget = [NAME_TAGGER_BUDGET]

    def tagged(window: str) -> tuple[tuple[int, int], ...]:
        if budget[0] <= 0:
            return ()
        budget[0] -= 1
        return _tagged_names(window)

    def found(start: int, word: str, confidence: str) -> None:
        s = _surname_len(word) or 1
        add("姓名", start, start + len(word), word[:s] + "**", f"上下文提示的人名（置信度{confidence}）", confidence)

    for m in _AFTER.finditer(view):  # 王建国同志, 李女士 (a surname alone before 先生/女士 stays)
        left = max(0, m.start() - 6)
        window = view[left:m.start()]
        run = _HAN_RUN_END.search(window)
        if run and len(run.group(0)) <= 4 and (run.start() > 0 or left == 0) and _plausible(run.group(0)):
            word = run.group(0)  # a whole word between punctuation and the cue
            found(left + run.start(), word, _sure(tagged(window), run.start(), run.end()))
            continue
        spans = [s for s in tagged(window) if s[1] == len(window) and _plausible(window[s[0]:s[1]])]
        if spans:
            found(left + spans[-1][0], window[spans[-1][0]:], "高")
            continue
        for size in (3, 2):
            word = window[-size:]
            if len(word) == size and _plausible(word) and (size == 2 or word[0] in COMMON_SURNAMES
                                                           or word[:2] in COMPOUND_SURNAMES):
                found(m.start() - size, word, "中")
                break
    for m in _BEFORE.finditer(view):  # 我叫王五, 经与张丽华核实, 联系人：欧阳明月
        window = view[m.end():m.end() + 6]
        if window[:1] not in COMMON_SURNAMES and window[:2] not in COMPOUND_SURNAMES:
            continue  # every name found here starts with a surname
        run = _HAN_RUN.match(window)
        word = _without_follower(run.group(0)) if run else ""
        if 2 <= len(word) <= 4 and _plausible(word):
            found(m.end(), word, _sure(tagged(window), 0, len(word)))  # the whole word up to punctuation or 核实…
            end = m.end() + len(word)
            for _ in range(5):  # 经与李强、张丽华核实: the names listed after it
                more = _LIST_NEXT.match(view, end)
                nxt = _without_follower(more.group(0)[1:]) if more else ""
                if not (2 <= len(nxt) <= 4 and _plausible(nxt)):
                    break
                found(end + 1, nxt, "中")
                end += 1 + len(nxt)
            continue
        spans = [s for s in tagged(window) if s[0] == 0 and _plausible(window[:s[1]])]
        if spans:
            found(m.end(), window[:spans[0][1]], "高")


def _repeated_names(view: str, found: list[Masking], add: _Add) -> None:
    """A name found once by its cue is masked wherever else the text writes it (李强表示…): one pass
    over the text, looking up the 2–4 characters at each possible first character."""
    names: dict[str, Masking] = {}  # a name found by its cue -> that masking
    done: set[int] = set()
    for m in found:
        if m.kind == "姓名" and m.reason.startswith("上下文"):
            names.setdefault(view[m.start:m.end], m)
            done.add(m.start)
    if not names:
        return
    firsts = re.compile("[" + re.escape("".join({w[0] for w in names})) + "]")
    for candidate in firsts.finditer(view):
        i = candidate.start()
        if i in done:
            continue  # found there by its cue already
        for size in (4, 3, 2):
            first = names.get(view[i:i + size])
            if first is not None:
                add("姓名", i, i + size, first.replacement, "同一人名在文中再次出现", first.confidence)
                break


def find(text: str, *, names: Iterable[str | None] = (), phones: Iterable[str | None] = (),
         ids: Iterable[str | None] = (), official: Official = NO_OFFICIAL) -> list[Masking]:
    """All maskings for `text`; `names`, `phones` and `ids` are what the item recorded for its person;
    `official` is contact data that must stay (departments' lines and mail domains)."""
    view = normalised_view(text)
    found = []

    def add(kind: str, start: int, end: int, replacement: str, reason: str, confidence: str = "高") -> None:
        found.append(Masking(kind, start, end, replacement, reason, confidence))

    known = set()
    for value in list(phones) + list(ids):
        digits = re.sub(r"[^0-9Xx]", "", normalised_view(value or "")).upper()
        if len(digits) >= 5:
            known.add(digits)
            if digits.startswith("0") and 10 <= len(digits) <= 12:
                known.add(_without_area_code(digits))  # written without area code
    _numbers(view, known, official, add)
    _emails(view, official, add)
    _patterns(view, add)
    _recorded_names(view, names, add)
    _cued_names(view, add)
    _repeated_names(view, list(found), add)
    return _resolve(found)


def _resolve(found: list[Masking]) -> list[Masking]:
    """Drop overlapping candidates: the earliest start wins, then the longest span."""
    out, last_end = [], -1
    for m in sorted(found, key=lambda x: (x.start, -(x.end - x.start))):
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


def mask(text: str | None, **known: Any) -> tuple[str, list[Masking]]:
    """(masked text, [Masking]) — the public version of `text` and the list for the reviewer."""
    text = text or ""
    maskings = find(text, **known)
    return apply(text, maskings), maskings


def spans(text: str, maskings: Iterable[Masking]) -> list[tuple[str, Masking | None]]:
    """`text` cut into (piece, masking) parts: kept text with None, each masked span as its replacement with
    the masking that replaced it; the maskings in order and without overlaps. The one replacing rule: `apply`
    joins these parts, the reviewer's page marks them (public_log/presenter.py masked_markup)."""
    parts: list[tuple[str, Masking | None]] = []
    at = 0
    for m in maskings:
        if m.start > at:
            parts.append((text[at:m.start], None))
        parts.append((m.replacement, m))
        at = m.end
    if at < len(text) or not parts:
        parts.append((text[at:], None))
    return parts


def apply(text: str, maskings: Iterable[Masking]) -> str:
    """`text` with each masking's span replaced; the maskings in order and without overlaps."""
    return "".join(piece for piece, _ in spans(text, maskings))
