"""Where a matter happened, as the public may see it (DESIGN §4, issue 13): the road or estate, never
the house, building, unit or room; coordinates snapped to a grid (PUBLIC_LOCATION_GRID_M, default
100 m) so that a point on a map does not single out one household. Pure functions."""
from __future__ import annotations

import math
import re
import unicodedata

from public_log.masking_data import COMMON_SURNAMES

COMMON_SURNAMES_PATTERN = "".join(sorted(COMMON_SURNAMES))

# The first place where a number starts: an Arabic digit or '#', a Chinese numeral followed by a
# house/building/room word, or a letter naming a block (A座, B栋, C区 …). Everything from there on is
# dropped. Road names built from numerals without such a word (五一路, 纬七路) stay whole.
_NUMBER_START = re.compile(
    r"[0-9#(（]"  # a parenthesis too: notes in brackets hold contacts (北门（联系人李四…）)
    r"|[" + COMMON_SURNAMES_PATTERN + r"][\u4e00-\u9fff]{1,2}家"  # someone's home: 王建国家楼下
    r"|[〇零一二三四五六七八九十百千两幺壹贰叁肆伍陆柒捌玖拾]+\s*(?:号|號|幢|栋|棟|单元|室|楼|樓|层|弄|排|户|组|期|区|座)"
    r"|(?<![A-Za-z])[A-Za-z甲乙丙丁戊]\s*(?:座|栋|棟|幢|单元|区|号|號|楼|樓)"
)
_TRAILING = " \t,，、;；:：-—–_/\\(（[【"
METRES_PER_DEGREE = 111_320.0


def public_address(address: str | None) -> str | None:
    """The address cut before its first house, building, unit or room number; None when nothing of a
    road or estate remains ("8号" alone)."""
    text = unicodedata.normalize("NFKC", address or "").strip()
    match = _NUMBER_START.search(text)
    if match:
        text = text[:match.start()]
    text = text.rstrip(_TRAILING).strip()
    return text or None


def public_point(lat: float | None, lng: float | None, grid_m: float = 100) -> tuple[float | None, float | None]:
    """(lat, lng) snapped to the centre of a grid cell about `grid_m` metres wide; (None, None) when
    either is missing. A grid of 0 publishes no coordinates at all."""
    if lat is None or lng is None or not grid_m or grid_m <= 0:
        return None, None
    step_lat = grid_m / METRES_PER_DEGREE
    snapped_lat = (math.floor(lat / step_lat) + 0.5) * step_lat
    step_lng = grid_m / (METRES_PER_DEGREE * max(math.cos(math.radians(snapped_lat)), 0.01))
    snapped_lng = (math.floor(lng / step_lng) + 0.5) * step_lng
    return round(max(-90.0, min(90.0, snapped_lat)), 5), round(max(-180.0, min(180.0, snapped_lng)), 5)
