"""Public places: addresses cut to the road or estate, coordinates snapped to a grid."""
import math

import pytest

from public_log.places import public_address, public_point


@pytest.mark.parametrize("address, public", [
    ("亭湖区某路 8 号", "亭湖区某路"),
    ("人民中路8号3幢201室", "人民中路"),
    ("文港小区12-2-1402室", "文港小区"),
    ("青年东路18#楼", "青年东路"),
    ("解放南路5号楼A座1203", "解放南路"),
    ("世纪花园A座", "世纪花园"),
    ("盐城市亭湖区五一路十二号楼三单元", "盐城市亭湖区五一路"),
    ("纬七路１８号", "纬七路"),  # full-width digits
    ("新洋街道幸福里二期3栋", "新洋街道幸福里"),
    ("毓龙西路(近解放路)", "毓龙西路"),  # a note in brackets may hold a contact: dropped
    ("幸福小区北门（联系人李四13800001111）", "幸福小区北门"),
    ("盐东镇新街村王小二家旁", "盐东镇新街村"), ("五號樓", None), ("幸福小区甲栋", "幸福小区"), ("王家村", "王家村"),
    ("8号", None), ("", None), (None, None),
])
def test_address_keeps_the_road_or_estate_only(address, public):
    assert public_address(address) == public


def test_point_is_snapped_to_a_grid_cell_about_the_given_size():
    lat, lng = 33.3876543, 120.1634567
    plat, plng = public_point(lat, lng, 100)
    assert (plat, plng) != (lat, lng)
    metres = math.hypot((plat - lat) * 111_320, (plng - lng) * 111_320 * math.cos(math.radians(lat)))
    assert metres <= 75  # at most half the cell's diagonal
    assert public_point(lat + 0.00001, lng + 0.00001, 100) == (plat, plng)  # neighbours share a cell
    assert public_point(lat, lng, 0) == (None, None) and public_point(None, lng) == (None, None)
    assert public_point(89.99999, 179.99999, 100)[0] <= 90
