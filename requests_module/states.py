"""States of a disclosure application, the transitions the workflow allows and the verbs of its actions: the
disclosure workflow's `core.workflow.Workflow`. Every status change is `core.workflow.transition(WORKFLOW, …)`."""
from __future__ import annotations

import enum

from core.workflow import Workflow

ENTITY = "disclosure_request"  # the audit and clock kind of an application


class Status(enum.Enum):
    SUBMITTED = "submitted"  # online, receipt not yet confirmed
    RECEIVED = "received"  # receipt date fixed; waiting for assignment
    ASSIGNED = "assigned"  # with the handling department
    AWAITING_CORRECTION = "awaiting_correction"  # 补正 requested; the answer clock is paused
    AWAITING_PAYMENT = "awaiting_payment"  # fee notice sent; the answer clock is paused
    AWAITING_SIGNOFF = "awaiting_signoff"  # reply drafted; the department head must sign off
    CLOSED = "closed"  # replied (or deemed abandoned); exactly one outcome

    @property
    def label(self) -> str:
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


# The Chinese verb of each action code, as refusals name it ("申请当前状态为“已办结”，不能答复"): the codes of the
# transitions (also the audit actions) and of the actions that only require a state.
ACTION_LABELS = {
    "confirm_receipt": "确认收到", "assign": "分派", "reject": "按不予处理办结", "reassign": "改派",
    "correction_notice": "发出补正告知", "correction_received": "登记补正", "fee_notice": "发出收费通知",
    "fee_paid": "登记缴费", "reply": "答复", "reply_drafted": "答复", "reply_signed_off": "签发",
    "reply_returned": "退回答复", "deemed_abandoned": "视为放弃",
    "reason_request": "要求说明理由", "reason_received": "登记申请人说明的理由", "reason_decided": "认定申请理由",
    "consultation_sent": "征求意见", "consultation_answered": "登记征求意见答复", "extension": "延期",
    "fee_refunded": "登记退费", "close_abandoned": "按视为放弃办结", "sign_off": "签发或退回答复",
    "reply_preview": "预览答复书", "draft_preview": "预览待签发的答复书",
}

WORKFLOW = Workflow(noun="申请", entity_kind=ENTITY, states=Status, transitions=TRANSITIONS,
                    action_labels=ACTION_LABELS)
