"""Chinese word segmentation for the public log (jieba, search-engine mode) and the query language.

Indexing: every text becomes the space-separated tokens of jieba's search-engine mode, so a long word
is indexed together with the dictionary words inside it (低保户 → 低保 保户 低保户), plus adjacent word
pairs joined (扶贫 资金 → 扶贫资金) for phrase queries.

Queries: words are AND-ed; each word matches either itself or, when its inner words cover it, all of
them (生活保障 matches a text segmented as 生活/保障金); "quoted phrases" additionally require the
exact string in the masked text. Pure functions, no database.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"\w+")
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
MAX_TERMS = 12


def _jieba() -> Any:
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def normalise(text: str | None) -> str:
    """Full-width letters and digits to half-width, lower case (NFKC)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _inner_words(word: str, freq: Mapping[str, int]) -> list[str]:
    """The dictionary words inside a longer word (jieba's search-engine mode: 2- and 3-grams)."""
    parts = []
    for size in (2, 3):
        if len(word) > size:
            parts += [word[i:i + size] for i in range(len(word) - size + 1) if freq.get(word[i:i + size])]
    return parts


def index_tokens(text: str | None) -> str:
    """The tokens stored in the search index for a text, space separated: jieba's search-engine mode
    (each word with the dictionary words inside it) plus each pair of adjacent words joined, so that a
    quoted phrase is found through the index rather than by scanning text."""
    jb = _jieba()
    tokens, previous = [], None
    for word in jb.cut(normalise(text)):
        if not _WORD.fullmatch(word):
            tokens += _WORD.findall(word)
            previous = None
            continue
        tokens += _inner_words(word, jb.dt.FREQ)
        tokens.append(word)
        if previous:
            tokens.append(previous + word)
        previous = word
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One word of a query: matches `word`, or all of `parts` when they cover it."""
    word: str
    parts: tuple = ()


@dataclass
class ParsedQuery:
    terms: list = field(default_factory=list)      # Term, AND-ed (relevance is scored over these)
    match_terms: list = field(default_factory=list)  # the terms the index is asked for (see parse_query)
    phrases: list = field(default_factory=list)    # exact strings the masked text must contain
    text_checks: list = field(default_factory=list)  # the phrases the index alone does not prove
    highlights: list = field(default_factory=list)  # strings to mark in snippets, longest first
    problem: str = ""                               # a note for the user (e.g. unbalanced quote)

    @property
    def empty(self) -> bool:
        return not self.terms


def _term(word: str) -> Term:
    parts = list(dict.fromkeys(_inner_words(word, _jieba().dt.FREQ)))
    covered = set()
    for sub in parts:
        start = word.find(sub)
        while start != -1:
            covered.update(range(start, start + len(sub)))
            start = word.find(sub, start + 1)
    return Term(word, tuple(parts) if len(covered) == len(word) else ())


def _words(text: str) -> list[str]:
    words = []
    for token in _jieba().cut(text, HMM=True):
        words += _WORD.findall(token)
    return words


def parse_query(raw: str | None) -> ParsedQuery:
    """Split a user's query into AND-ed terms and exact phrases."""
    text = normalise(raw).replace("“", '"').replace("”", '"').strip()
    parsed = ParsedQuery()
    if text.count('"') % 2:
        parsed.problem = "引号没有成对，已按普通词语搜索"
        text = text.replace('"', " ")
    pieces = re.split(r'("[^"]*")', text)
    seen, pairs, covers = set(), [], {}
    for piece in pieces:
        if piece.startswith('"') and piece.endswith('"') and len(piece) >= 2:
            phrase = " ".join(piece[1:-1].split())
            words = _words(phrase)
            if len(words) > 1:
                parsed.phrases.append(phrase)
                parsed.highlights.append(phrase)
                # adjacent words are indexed joined: the index finds the phrase, the text check confirms it
                for a, b in zip(words, words[1:]):
                    pairs.append(a + b)
                    covers.setdefault(a + b, set()).update((a, b))
        else:
            words = _words(piece)
        for word in words:
            if word not in seen:
                seen.add(word)
                parsed.terms.append(_term(word))
                parsed.highlights.append(word)
    for pair in dict.fromkeys(pairs):
        if pair not in seen:
            seen.add(pair)
            parsed.terms.append(Term(pair))
    if len(parsed.terms) > MAX_TERMS:
        parsed.terms = parsed.terms[:MAX_TERMS]
        parsed.problem = f"搜索词过多，只使用了前 {MAX_TERMS} 个词"
    # A phrase's pair tokens are indexed only where both words are (index_tokens joins two indexed words),
    # so the index is asked for the pairs, not for the phrase's words as well: a pair's posting list is
    # short where an everyday word's is long. Relevance is still scored over every term.
    covered = set().union(*(covers[t.word] for t in parsed.terms if t.word in covers))
    parsed.match_terms = [t for t in parsed.terms if t.word not in covered]
    # Two Chinese words joined are indexed as one token, and every token is a substring of its text:
    # a document holding the pair token holds the phrase, so only other phrases need the text read.
    proved = {t.word for t in parsed.terms if not t.parts}
    parsed.text_checks = [p for p in parsed.phrases
                          if not (p in proved and _IDEOGRAPHS.fullmatch(p) and len(_words(p)) == 2)]
    parsed.highlights.sort(key=len, reverse=True)
    return parsed
