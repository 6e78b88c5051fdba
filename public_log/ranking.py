"""Relevance of search candidates (pure): BM25F over the segmented title, request and reply, with the
title weighted highest; equal scores go to the newer record. One implementation for both backends,
so SQLite and PostgreSQL rank alike."""
import math
from collections import Counter
from dataclasses import dataclass

FIELD_WEIGHTS = (("title_tokens", 4.0), ("request_tokens", 1.5), ("reply_tokens", 1.0))
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Candidate:
    id: int
    published_at: object
    title_tokens: str
    request_tokens: str
    reply_tokens: str


def _term_frequency(counts, term):
    """A query term occurs as itself, or (when it has covering parts) as often as its rarest part."""
    tf = counts.get(term.word, 0)
    if not tf and term.parts:
        tf = min(counts.get(p, 0) for p in term.parts)
    return tf


def rank(terms, candidates):
    """Candidate ids, most relevant first; ties newest first (then highest id)."""
    if not candidates:
        return []
    fields = []
    for c in candidates:
        fields.append([(Counter(getattr(c, name).split()), len(getattr(c, name).split()), w)
                       for name, w in FIELD_WEIGHTS])
    averages = [max(1.0, sum(f[i][1] for f in fields) / len(fields)) for i in range(len(FIELD_WEIGHTS))]
    n = len(candidates)
    tfs = [[sum(w * _term_frequency(counts, t) / (1 - B + B * length / averages[i])
                for i, (counts, length, w) in enumerate(doc)) for t in terms] for doc in fields]
    idf = []
    for j in range(len(terms)):
        containing = sum(1 for doc in tfs if doc[j] > 0)
        idf.append(math.log(1 + (n - containing + 0.5) / (containing + 0.5)))
    scores = [sum(idf[j] * tf / (K1 + tf) for j, tf in enumerate(doc)) for doc in tfs]
    order = sorted(range(n), key=lambda i: (-round(scores[i], 9), _ts(candidates[i].published_at),
                                            -candidates[i].id))
    return [candidates[i].id for i in order]


def _ts(moment):
    return -moment.timestamp() if moment is not None else 0
