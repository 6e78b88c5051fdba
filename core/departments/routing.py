"""Suggest the responsible department from a request's text, with the reason (seed work plan topics)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Suggestion:
    department: object
    score: int
    reason: str


def suggest_departments(text, departments, limit=3):
    """Departments ranked by lead-topic keywords found in `text`; longer and lead keywords weigh more."""
    text = text or ""
    found = []
    for dep in departments:
        score, reasons = 0, []
        for topic in dep.topics or []:
            hits = [k for k in topic["keywords"] if k and k.lower() in text.lower()]
            # A keyword inside a longer hit (低保 in 城乡低保) adds nothing new.
            hits = [k for k in hits if not any(k != o and k in o for o in hits)]
            if not hits:
                continue
            score += sum(len(k) for k in hits) * (2 if topic.get("lead") else 1)
            role = "牵头" if topic.get("lead") else "参与"
            reasons.append(f"文本含“{'”“'.join(hits)}”，{dep.name}{role}：{topic['topic']}")
        if score:
            found.append(Suggestion(dep, score, "；".join(reasons)))
    found.sort(key=lambda s: (-s.score, s.department.code))
    return found[:limit]
