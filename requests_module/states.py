"""States of a disclosure application and the transitions the workflow allows."""
import enum

from core.errors import DomainError


class Status(enum.Enum):
    SUBMITTED = "submitted"  # online, receipt not yet confirmed
    RECEIVED = "received"  # receipt date fixed; waiting for assignment
    ASSIGNED = "assigned"  # with the handling department
    AWAITING_CORRECTION = "awaiting_correction"  # 补正 requested; the answer clock is paused
    AWAITING_PAYMENT = "awaiting_payment"  # fee notice sent; the answer clock is paused
    AWAITING_SIGNOFF = "awaiting_signoff"  # reply drafted; the department head must sign off
    CLOSED = "closed"  # replied (or deemed abandoned); exactly one outcome

    @property
    def label(self):
        return LABELS[self]


LABELS = {
    Status.SUBMITTED: "已提交，待确认收到",
    Status.RECEIVED: "已收到，待分办",
    Status.ASSIGNED: "办理中",
    Status.AWAITING_CORRECTION: "待申请人补正",
    Status.AWAITING_PAYMENT: "待申请人缴费",
    Status.AWAITING_SIGNOFF: "答复待签发",
    Status.CLOSED: "已办结",
}

TRANSITIONS = {
    Status.SUBMITTED: {Status.RECEIVED, Status.CLOSED},
    # Art. 30: the 公开办 may send the one-time correction notice before assigning (the 7 days run from receipt)
    Status.RECEIVED: {Status.ASSIGNED, Status.AWAITING_CORRECTION, Status.CLOSED},
    Status.ASSIGNED: {Status.ASSIGNED, Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT,
                      Status.AWAITING_SIGNOFF, Status.CLOSED},
    Status.AWAITING_CORRECTION: {Status.RECEIVED, Status.ASSIGNED, Status.CLOSED},  # back where it was
    Status.AWAITING_PAYMENT: {Status.ASSIGNED, Status.CLOSED},
    Status.AWAITING_SIGNOFF: {Status.ASSIGNED, Status.CLOSED},
    Status.CLOSED: set(),
}


class TransitionError(DomainError):
    """The action is not allowed in the application's current state (API: 409)."""


def check(current, target, action):
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"申请当前状态为“{current.label}”，不能{action}")


def require(current, allowed, action):
    """The action is only possible in the `allowed` states (an action's own precondition, stricter than
    the transition table, which says where a state may lead)."""
    if current not in allowed:
        raise TransitionError(f"申请当前状态为“{current.label}”，不能{action}")
