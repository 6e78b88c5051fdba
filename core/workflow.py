"""One shape for both workflows: a state enum, its transition table, the verbs of refusals, and one
`transition()` that checks and moves an item and writes the audit row. A disclosure application
(requests_module/states.py) and a 12345 ticket (hotline/states.py) each declare a `Workflow`; their use cases
call `transition(WORKFLOW, item, target, action, …)` and nothing else changes a status."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import audit
from core.errors import DomainError


class TransitionError(DomainError):
    """The action is not allowed in the item's current state (API: 409). The one refusal of both workflows."""


@dataclass(frozen=True)
class Workflow:
    """`noun` names the item in refusals (申请 / 工单); `entity_kind` is its audit kind; `transitions` maps each
    state to the states it may lead to; `action_labels` gives the Chinese verb of each action code."""

    noun: str
    entity_kind: str
    states: type[enum.Enum]
    transitions: Mapping[Any, Set[Any]]  # each state -> the states it may lead to (a domain's own enum)
    action_labels: Mapping[str, str] = field(default_factory=dict)

    def verb(self, action: str) -> str:
        return self.action_labels.get(action, "办理此操作")

    def refusal(self, current: enum.Enum, action: str) -> TransitionError:
        label = getattr(current, "label", current.value)
        return TransitionError(f"{self.noun}当前状态为“{label}”，不能{self.verb(action)}")

    def check(self, current: enum.Enum, target: enum.Enum, action: str,
              allowed_from: Iterable[enum.Enum] | None = None) -> None:
        """Raise TransitionError unless `current` is one of the action's own starting states (`allowed_from`,
        stricter than the table) and the table lets `current` lead to `target`."""
        if allowed_from is not None and current not in set(allowed_from):
            raise self.refusal(current, action)
        if target not in self.transitions[current]:
            raise self.refusal(current, action)

    def require(self, current: enum.Enum, allowed: Iterable[enum.Enum], action: str) -> None:
        """An action that does not change the state is possible only in `allowed` states."""
        if current not in set(allowed):
            raise self.refusal(current, action)


def transition(workflow: Workflow, item: Any, target: enum.Enum, action: str, *, now: datetime, actor: Any,
               allowed_from: Iterable[enum.Enum] | None = None, detail: dict | None = None) -> None:
    """Move `item` (anything with a string `status` and an `id`) to `target`, recording the move in the audit
    trail in the caller's unit of work. Raises TransitionError, leaving the item untouched, if not allowed."""
    current = workflow.states(item.status)
    workflow.check(current, target, action, allowed_from)
    item.status = target.value
    audit.log_change(now=now, actor=actor, entity_kind=workflow.entity_kind, entity_id=item.id, action=action,
                 before={"status": current.value}, after={"status": target.value, **(detail or {})})
