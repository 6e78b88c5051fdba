"""热点预警 (issue 20 item 4), the pure parts: where a ticket is (estate, crossing, road, grid square), what it is
about (category plus jieba keywords) and which tickets cluster over the thresholds. No database, no clock."""
import math
from datetime import datetime, timedelta, timezone

import pytest

from hotline.hotspot_cluster import Item, Thresholds, caller_of, find_clusters
from hotline.hotspot_places import Place, address_place, grid_place, place_of
from hotline.hotspot_topics import keywords, same_topic, shared_words


@pytest.mark.parametrize("address, key", [
    # an estate wins over the road it lies on; province, city, district, street and town are dropped
    ("江苏省盐城市亭湖区毓龙路街道阳光花园小区12栋2单元301室", "estate:阳光花园"),
    ("亭湖区文港南路88号阳光花园3栋", "estate:阳光花园"),
    ("阳光花园北区5幢", "estate:阳光花园"),
    ("人民路阳光花园5栋", "estate:阳光花园"),
    ("紫薇花园（北门）", "estate:紫薇花园"),
    ("亭湖区大洋街道富康花园二期3幢", "estate:富康花园"),
    ("聚亨园15号楼", "estate:聚亨园"),
    ("水岸名居A区", "estate:水岸名居"),
    ("新园小区北门", "estate:新园"),
    ("阳光小区3栋", "estate:阳光小区"),  # 小区 is dropped only after another estate word (阳光花园小区)
    ("盐城市亭湖区黄海街道黄海新村14幢", "estate:黄海新村"),
    ("南洋镇新坍村六组", "estate:新坍村"),  # a village; its group number is a number
    ("五星村三组", "estate:五星村"),  # 五星 is a name, not a number
    ("新城市花园2栋", "estate:新城市花园"),  # 城市 is no city
    ("希望大道南路5号万达广场", "estate:万达广场"),
    ("亭湖区解放南路268号（盐城市第一人民医院）", "estate:第一人民医院"),  # the landmark in brackets
    ("华润超市门口", "estate:华润超市"),
    ("农贸市场东门", "estate:农贸市场"),
    ("亭湖区青年路小学", "estate:青年路小学"),  # a place named after its road is that place
    ("长江路小区12幢", "estate:长江路小区"),
    ("建军中路菜场对面", "estate:建军中路菜场"),
    # roads
    ("盐城市亭湖区文港南路88号", "road:文港南路"),
    ("亭湖区人民中路", "road:人民中路"),
    ("亭湖区开放大道66号", "road:开放大道"),
    ("和平路12号", "road:和平路"),  # 和 starts a name here, it joins two roads only after one
    ("亭湖区某路 8 号", "road:某路"),
    ("纬七路１８号", "road:纬七路"),  # full-width digits
    ("老街3号", "road:老街"),
    ("亭湖区盐城经济技术开发区松江路", "road:松江路"),
    # crossings, named either way round
    ("亭湖区新洋街道建军东路与开放大道交叉口", "crossing:建军东路/开放大道"),
    ("开放大道和建军东路路口", "crossing:建军东路/开放大道"),
    ("迎宾南路与人民中路交叉口西南角", "crossing:人民中路/迎宾南路"),
    # nothing to group by
    ("8号", None), ("B2栋", None), ("盐城市亭湖区", None), ("亭湖区五星街道", None), ("", None), (None, None),
    ("\x00阳光花园\t3栋", "estate:阳光花园"),  # control characters never hide a place
])
def test_the_place_of_an_address(address, key):
    place = address_place(address)
    assert (place.key if place else None) == key


def test_a_place_is_labelled_for_people():
    assert address_place("东进路和青年路交叉口") == Place("crossing:东进路/青年路", "crossing", "东进路与青年路交叉口")
    assert address_place("阳光花园小区3栋").label == "阳光花园"


def test_coordinates_without_an_address_fall_in_a_grid_square():
    a = place_of("", 33.3801, 120.1601, 200)
    b = place_of("8号", 33.38015, 120.16015, 200)  # a few metres away, no usable address
    assert a == b and a.kind == "grid" and a.key.startswith("grid:200:") and "200 米方格" in a.label
    far = place_of(None, 33.3901, 120.1601, 200)  # about 1.1 km north
    assert far.key != a.key
    assert place_of("阳光花园", 33.3801, 120.1601, 200).key == "estate:阳光花园"  # the address first
    assert grid_place(None, 120.0, 200) is None and grid_place(33.0, 120.0, 0) is None
    assert grid_place(math.nan, 120.0, 200) is None and grid_place(33.0, math.inf, 200) is None
    assert place_of("", None, None, 200) is None


def test_keywords_read_everyday_words_as_the_catalogues_and_drop_boilerplate_and_the_place():
    words = keywords("阳光花园小区楼下烧烤店每晚噪音扰民到凌晨，多次反映没有解决，要求相关部门尽快处理", place="阳光花园")
    assert "噪声" in words  # 噪音 read as the catalogue's 噪声 (hotline.catalogue.SYNONYMS)
    assert "烧烤店" in words or "烧烤" in words
    assert not words & {"阳光花园", "阳光", "花园", "反映", "要求", "解决", "处理", "相关部门", "尽快"}
    assert keywords("") == frozenset() and keywords(None) == frozenset()
    assert keywords("2026年11月20日 13800001111") == frozenset()  # numbers are no topic
    assert len(keywords("噪音 " * 5000 + "垃圾 油烟 停水 路灯 井盖 占道 渣土 施工")) <= 6


def test_two_tickets_share_a_topic_by_category_or_by_enough_common_keywords():
    noise, other = frozenset({"噪声", "施工", "夜间"}), frozenset({"噪声", "施工", "渣土"})
    assert same_topic("030101", frozenset(), "030101", frozenset(), 2)  # the same category
    assert same_topic("030101", noise, "990101", other, 2)  # another category, two words in common
    assert not same_topic("030101", noise, "990101", frozenset({"噪声", "停车"}), 2)  # only one in common
    assert same_topic("030101", noise, "990101", frozenset({"噪声", "停车"}), 1)
    assert shared_words([{"噪声", "施工"}, {"噪声", "夜间"}, {"噪声", "施工"}, {"停水"}]) == ["噪声", "施工"]


T0 = datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc)
SUN = Place("estate:阳光花园", "estate", "阳光花园")


def item(i, place=SUN, category="030101", words=("噪声", "烧烤"), caller=None, hours=0):
    return Item(i, place, category, frozenset(words), caller or f"phone:1380000{i:04d}", T0 + timedelta(hours=hours))


def test_a_cluster_needs_enough_tickets_from_enough_callers_at_one_place_on_one_topic():
    five = [item(i, hours=i) for i in range(1, 6)]
    [cluster] = find_clusters(five, Thresholds(5, 3, 2))
    assert cluster.ids == [1, 2, 3, 4, 5] and cluster.callers == 5 and cluster.category == "030101"
    assert cluster.words == ["噪声", "烧烤"] and cluster.centre is None
    assert find_clusters(five[:4], Thresholds(5, 3, 2)) == []  # four are not five
    one_caller = [item(i, caller="phone:13800001111") for i in range(1, 6)]
    assert find_clusters(one_caller, Thresholds(5, 3, 2)) == []  # one angry neighbour is not a hot spot
    assert len(find_clusters(one_caller, Thresholds(5, 1, 2))) == 1


def test_scattered_tickets_make_no_cluster():
    places = [Place(f"estate:小区{i}", "estate", f"小区{i}") for i in range(5)]
    assert find_clusters([item(i, place=places[i]) for i in range(5)], Thresholds(5, 3, 2)) == []
    topics = [("030101", ("噪声",)), ("030103", ("污水",)), ("010301", ("物业费",)), ("040101", ("过期", "食品")),
              ("050101", ("入学",))]
    assert find_clusters([item(i, category=c, words=w) for i, (c, w) in enumerate(topics)], Thresholds(5, 3, 2)) == []


def test_tickets_of_other_categories_join_through_shared_keywords_and_chains():
    tickets = [item(1), item(2), item(3), item(4, category="990101", words=("噪声", "烧烤", "油烟")),
               item(5, category="030102", words=("油烟", "烧烤"))]  # joins 4 through 烧烤 + 油烟
    [cluster] = find_clusters(tickets, Thresholds(5, 3, 2))
    assert sorted(cluster.ids) == [1, 2, 3, 4, 5] and cluster.category == "030101"


def test_clusters_come_largest_first_and_the_centre_is_the_mean_of_the_coordinates():
    road = Place("road:文港南路", "road", "文港南路")
    six = [Item(10 + i, road, "030103", frozenset({"污水"}), f"phone:{i}", T0, 33.0 + i * 0.001, 120.0) for i in range(6)]
    clusters = find_clusters([item(i) for i in range(1, 6)] + six, Thresholds(5, 3, 2))
    assert [c.place.key for c in clusters] == ["road:文港南路", "estate:阳光花园"]
    lat, lng = clusters[0].centre
    assert lat == pytest.approx(33.0025) and lng == pytest.approx(120.0)


def test_who_called():
    assert caller_of("13800001111", 5, 9) == "phone:13800001111"
    assert caller_of(None, 5, 9) == "citizen:5" and caller_of("", None, 9) == "ticket:9"
