"""Where a 12345 matter is, for hot-spot early warning (热点预警, issue 20 item 4): the estate (小区, village,
landmark) or the road the address names, else a square of a grid over the coordinates. Pure functions.

Two tickets are at the same place when their keys are equal: 阳光花园小区3栋 and 文港南路88号阳光花园 are both
"estate:阳光花园"; 文港南路88号 is "road:文港南路"; 东进路与青年路交叉口 and 青年路东进路路口 are one crossing;
a ticket with coordinates only is "grid:…", the square of HOTSPOT_GRID_M metres it lies in. An estate is more
precise than the road it lies on, so it wins; the province, city, district, street (街道) or town before the
place is no place of its own and is dropped.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from public_log.places import public_point

# A name is made of letters (Chinese or Latin); digits start a house, building or room number. A district, county,
# town or province character ends a name: 经济技术开发区松江路 is 松江路.
_NAME = r"[^\W\d_]"
_PART = r"[^\W\d_区县镇省]"
_ADMIN = re.compile(r"^(?:中国|中华人民共和国)?(?:" + "|".join((
    _NAME + r"{2,3}(?:省|自治区)",
    _NAME + r"{2,3}(?<!超)市(?!场)",
    _NAME + r"{2,3}(?<![小社园景厂校营片城])(?:区|县)",
    _NAME + r"{2,10}?(?:经济技术开发区|经济开发区|高新技术产业开发区|高新区|开发区)",
    _NAME + r"{2,5}(?:街道|镇|乡)",
)) + ")")
# Where one name ends and another begins: brackets (a landmark or a note inside), punctuation, a connector
# after a road ("人民路与建军路", "人民路和建军路": 和 only after a road, 和平路 is a road), a crossing word.
_SEPARATORS = re.compile(r"[（()）\[\]【】,，、;；:：/\\|~—–\-]|(?<=[路街道巷])[与和及跟]|交叉口|十字路口|路口|交汇处|交界处")
_CROSSING = re.compile(r"交叉口|十字路口|路口|交汇处|交界处|(?<=[路街道巷])[与和及跟]")
_NUMERALS = "〇零一二三四五六七八九十百千两"
_UNITS = r"(?:号楼|号院|号|號|幢|栋|棟|单元|室|楼|樓|层|弄|排|户|组|期|区|座|门)"
# House, building, unit, room and group numbers: digits (and letters beside them: 3A, B2) with or without a
# unit word; Chinese numerals only with one (五星村 and 五一路 keep theirs).
_NUMBER = re.compile(r"[0-9A-Za-z#]+" + _UNITS + "?|[" + _NUMERALS + "]+" + _UNITS)
_ESTATE_SUFFIXES = ("小区", "花园", "花苑", "家园", "嘉园", "新村", "公寓", "大厦", "广场", "山庄", "公馆", "华府",
                    "名苑", "雅苑", "社区", "商城", "市场", "菜场", "超市", "商场", "酒店", "宾馆", "医院", "学校", "中学",
                    "小学", "幼儿园", "公园", "车站", "工地", "苑", "园", "府", "庭", "邸", "村", "居", "阁", "湾", "坊")
_ESTATE = re.compile(_PART + r"{1,12}?(?:" + "|".join(_ESTATE_SUFFIXES) + ")+")
# A road name followed at once by a place word is the name of that place (青年路小学, 长江路小区), not the road.
_ROAD = re.compile(_PART + r"{1,10}?(?:大道|大街|路|街(?!道)|巷)(?:[东西南北中]路|[东西南北中]段)?"
                   r"(?!" + "|".join(x for x in _ESTATE_SUFFIXES if len(x) > 1) + ")")
_NAME_ENDS = (*_ESTATE_SUFFIXES, "路", "街", "巷", "大道", "场")
_LEADING = re.compile(r"^(?:位于|靠近|临近|紧邻|在)")


@dataclass(frozen=True)
class Place:
    key: str  # equal keys: the same place
    kind: str  # estate | road | crossing | grid
    label: str  # how pages and alerts name it


def _strip_admin(text: str) -> str:
    """The text without the administrative units it starts with (江苏省盐城市亭湖区五星街道 …); a unit that is the
    start of a name is kept (新城市花园: 城市 is no city; 东区路: no district)."""
    while True:
        match = _ADMIN.match(text)
        if match is None:
            return text
        rest = text[match.end():]
        if not rest or rest.startswith(_NAME_ENDS):
            return text
        text = rest


def _clean(address: str) -> str:
    text = unicodedata.normalize("NFKC", address or "")
    return re.sub(r"[\s\x00-\x1f\x7f]+", "", text)


def _estate(segment: str) -> str | None:
    segment = _LEADING.sub("", _strip_admin(segment))
    match = _ESTATE.match(segment)
    if match is None:
        return None
    name = match.group(0)
    if name.endswith("小区") and name[:-2].endswith(_ESTATE_SUFFIXES):  # 阳光花园小区 is 阳光花园
        name = name[:-2]
    return name


def address_place(address: str | None) -> Place | None:
    """The estate, else the crossing, else the road of an address; None when it names none of them."""
    text = _strip_admin(_clean(address or ""))
    if not text:
        return None
    crossing = _CROSSING.search(text) is not None
    text = _NUMBER.sub("|", text)
    roads: list[str] = []

    def road(match: re.Match[str]) -> str:
        if match.group(0) not in roads:
            roads.append(match.group(0))
        return "|"

    pieces = [_ROAD.sub(road, _strip_admin(p)) for p in _SEPARATORS.split(text) if p]
    for piece in pieces:
        for segment in piece.split("|"):
            name = _estate(segment) if segment else None
            if name:
                return Place(f"estate:{name}", "estate", name)
    if crossing and len(roads) >= 2:
        pair = sorted(roads[:2])
        return Place(f"crossing:{pair[0]}/{pair[1]}", "crossing", f"{pair[0]}与{pair[1]}交叉口")
    if roads:
        return Place(f"road:{roads[0]}", "road", roads[0])
    return None


def grid_place(lat: float | None, lng: float | None, grid_m: float) -> Place | None:
    """The square of the grid (`grid_m` metres wide) that the coordinates lie in, named by its centre; None
    without usable coordinates. The squares are public_log.places.public_point's, so the centre shown is no
    closer to a household than the public map's point."""
    if lat is None or lng is None or not (math.isfinite(lat) and math.isfinite(lng)) or grid_m <= 0:
        return None
    c_lat, c_lng = public_point(lat, lng, grid_m)
    if c_lat is None or c_lng is None:
        return None
    return Place(f"grid:{grid_m:g}:{c_lat:.5f}:{c_lng:.5f}", "grid",
                 f"坐标 {c_lat:.4f}, {c_lng:.4f} 附近（{grid_m:g} 米方格）")


def place_of(address: str | None, lat: float | None, lng: float | None, grid_m: float) -> Place | None:
    """Where a ticket is, for grouping: its address's estate, crossing or road, else its grid square."""
    return address_place(address) or grid_place(lat, lng, grid_m)
