"""Chinese word segmentation for the public log (jieba, search-engine mode) and the query language.

Indexing: every text becomes the space-separated tokens of `jieba.cut_for_search`, so a long word is
indexed together with the dictionary words inside it (最低生活保障金 → 最低 生活 保障 保障金 …).

Queries: words are AND-ed; each word matches either itself or, when its inner words cover it, all of
them (生活保障 matches a text segmented as 生活/保障金); "quoted phrases" additionally require the
exact string in the masked text. Pure functions, no database.
"""
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"\w+")
MAX_TERMS = 12


def _jieba():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def normalise(text):
    """Full-width letters and digits to half-width, lower case (NFKC)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def index_tokens(text):
    """The tokens stored in the search index for a text, space separated."""
    tokens = []
    for token in _jieba().cut_for_search(normalise(text)):
        tokens += _WORD.findall(token)
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One word of a query: matches `word`, or all of `parts` when they cover it."""
    word: str
    parts: tuple = ()


@dataclass
class ParsedQuery:
    terms: list = field(default_factory=list)      # Term, AND-ed
    phrases: list = field(default_factory=list)    # exact strings the masked text must contain
    highlights: list = field(default_factory=list)  # strings to mark in snippets, longest first
    problem: str = ""                               # a note for the user (e.g. unbalanced quote)

    @property
    def empty(self):
        return not self.terms


def _term(word):
    parts = []
    for sub in _jieba().cut_for_search(word):
        if sub != word and len(sub) > 1 and sub not in parts:
            parts.append(sub)
    covered = set()
    for sub in parts:
        start = word.find(sub)
        while start != -1:
            covered.update(range(start, start + len(sub)))
            start = word.find(sub, start + 1)
    return Term(word, tuple(parts) if len(covered) == len(word) else ())


def _words(text):
    words = []
    for token in _jieba().cut(text, HMM=True):
        words += _WORD.findall(token)
    return words


def parse_query(raw):
    """Split a user's query into AND-ed terms and exact phrases."""
    text = normalise(raw).replace("“", '"').replace("”", '"').strip()
    parsed = ParsedQuery()
    if text.count('"') % 2:
        parsed.problem = "引号没有成对，已按普通词语搜索"
        text = text.replace('"', " ")
    pieces = re.split(r'("[^"]*")', text)
    seen = set()
    for piece in pieces:
        if piece.startswith('"') and piece.endswith('"') and len(piece) >= 2:
            phrase = " ".join(piece[1:-1].split())
            words = _words(phrase)
            if len(words) > 1:
                parsed.phrases.append(phrase)
                parsed.highlights.append(phrase)
        else:
            words = _words(piece)
        for word in words:
            if word not in seen:
                seen.add(word)
                parsed.terms.append(_term(word))
                parsed.highlights.append(word)
    if len(parsed.terms) > MAX_TERMS:
        parsed.terms = parsed.terms[:MAX_TERMS]
        parsed.problem = f"搜索词过多，只使用了前 {MAX_TERMS} 个词"
    parsed.highlights.sort(key=len, reverse=True)
    return parsed
