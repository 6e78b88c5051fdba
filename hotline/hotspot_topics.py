"""What a 12345 matter is about, for hot-spot early warning (热点预警, issue 20 item 4): its category plus the
keywords of its text (jieba's TF-IDF keywords), and when two matters of one place share a topic. Pure functions.

Everyday words are read as the catalogue's (hotline.catalogue.SYNONYMS: 噪音 and 吵闹 are 噪声), so that two
callers who say the same thing in other words still meet; the words every call contains (反映, 要求, 解决 …),
numbers and the place's own name are no topic.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from hotline.catalogue import SYNONYMS
from public_log.segment import _jieba, normalise

KEYWORDS_PER_TICKET = 6
SHOWN_KEYWORDS = 3
# Words of almost every call: who calls, what they ask for, when and how often, and generic places.
STOP_WORDS = frozenset("""
反映 投诉 举报 咨询 求助 建议 来电 来电人 来电者 市民 群众 居民 业主 住户 本人 我们 他们 要求 希望 请求 恳请 尽快 及时
处理 解决 问题 情况 事情 相关 部门 相关部门 有关部门 政府 领导 帮助 协调 落实 核实 调查 整改 管理 处置 回复 答复 告知
严重 影响 一直 多次 经常 每天 天天 现在 目前 已经 没有 不能 无法 还是 仍然 依然 至今 一个 这个 那个 什么 怎么 为什么
附近 周边 周围 楼下 楼上 门口 对面 旁边 这里 那里 地方 位置 表示 诉求 工单 热线 电话 时间 晚上 凌晨 白天 夜里 夜间 今天
昨天 最近 近期 期间 导致 造成 出现 存在 发现 进行 小区 社区 物业公司 街道 亭湖区 盐城市
""".split())
_NUMBER = re.compile(r"^[\d.]+$|\d")


def _extract(text: str, top: int) -> list[str]:
    """jieba's TF-IDF keywords (its dictionary loaded once per process by public_log.segment)."""
    _jieba()
    import jieba.analyse

    return list(jieba.analyse.extract_tags(text, topK=top))


def keywords(text: str | None, *, place: str = "", limit: int = KEYWORDS_PER_TICKET) -> frozenset[str]:
    """The topic words of a ticket's text: its TF-IDF keywords read through SYNONYMS, without STOP_WORDS,
    numbers, single characters and the words of its place's name (阳光花园, 阳光, 花园)."""
    text = normalise(text)[:5000]
    if not text.strip():
        return frozenset()
    words: list[str] = []
    for word in _extract(text, limit * 3):
        word = SYNONYMS.get(word, word)
        if len(word) < 2 or word in STOP_WORDS or _NUMBER.search(word) or (place and (word in place or place in word)):
            continue
        if word not in words:
            words.append(word)
        if len(words) == limit:
            break
    return frozenset(words)


def same_topic(category_a: str, words_a: frozenset[str], category_b: str, words_b: frozenset[str],
               shared: int) -> bool:
    """Two matters of one place share a topic when they have the same category, or at least `shared` keywords
    (an operator chose another category for the same noise)."""
    return category_a == category_b or len(words_a & words_b) >= max(shared, 1)


def shared_words(word_sets: Sequence[Iterable[str]], limit: int = SHOWN_KEYWORDS) -> list[str]:
    """The words most members of a cluster share (each in two members at least), most shared first, then in the
    order they first came."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for words in word_sets:
        for word in sorted(set(words)):
            counts[word] += 1
            order.setdefault(word, len(order))
    common = [w for w, n in counts.items() if n >= 2]
    return sorted(common, key=lambda w: (-counts[w], order[w]))[:limit]
