"""States of a 12345 ticket and the transitions of DESIGN §3: the hotline's `Workflow` (core/workflow.py).
Every status change goes through `core.workflow.transition(WORKFLOW, ticket, …)`."""
import enum

from core.workflow import Workflow

ENTITY = "ticket"  # the audit trail's and the clocks' entity kind of a ticket


class Status(enum.Enum):
    NEW = "new"  # 受理: waiting for dispatch (also returned and reopened tickets)
    DISPATCHED = "dispatched"  # 派单: waiting for the department to sign
    SIGNED = "signed"  # 签收: being handled
    RETURN_REVIEW = "return_review"  # 退单 asked by the department, the 12345 centre reviews it (clocks paused)
    AWAITING_SIGNOFF = "awaiting_signoff"  # reply drafted, the department head signs off
    SUBCENTRE_REVIEW = "subcentre_review"  # two-level dispatch: a department's reply, its sub-centre reviews it
    REPLIED = "replied"  # 答复 (or 直接办结): waiting for the callback
    CALLBACK_REVIEW = "callback_review"  # unsatisfied callback: a supervisor orders 重办 or closes
    CLOSED = "closed"  # 办结

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.NEW: "待派单", Status.DISPATCHED: "待签收", Status.SIGNED: "办理中", Status.RETURN_REVIEW: "退单待审核",
    Status.AWAITING_SIGNOFF: "答复待签发", Status.SUBCENTRE_REVIEW: "答复待分中心审核",
    Status.REPLIED: "待回访", Status.CALLBACK_REVIEW: "不满意待研判", Status.CLOSED: "已办结",
}

HELD_BY_SUBCENTRE = {Status.DISPATCHED: "分中心待签收", Status.SIGNED: "待二次派单"}


def label_of(status: Status, held_by_subcentre: bool = False) -> str:
    """The state's label; a ticket a district sub-centre holds itself (level 1 of a two-level dispatch) reads
    分中心待签收 / 待二次派单 instead of 待签收 / 办理中."""
    return HELD_BY_SUBCENTRE.get(status, status.label) if held_by_subcentre else status.label


TRANSITIONS = {
    Status.NEW: {Status.DISPATCHED, Status.REPLIED, Status.CLOSED},
    Status.DISPATCHED: {Status.SIGNED, Status.NEW, Status.CLOSED, Status.RETURN_REVIEW},
    # → DISPATCHED: a sub-centre's 二次派单 to one of its departments (hotline/tiers.py)
    Status.SIGNED: {Status.AWAITING_SIGNOFF, Status.REPLIED, Status.NEW, Status.CLOSED, Status.RETURN_REVIEW,
                    Status.DISPATCHED, Status.SUBCENTRE_REVIEW},
    # the centre's review of a 退单: upheld → back to dispatch; rejected → the state it was in
    Status.RETURN_REVIEW: {Status.NEW, Status.DISPATCHED, Status.SIGNED, Status.CLOSED},
    Status.AWAITING_SIGNOFF: {Status.REPLIED, Status.SIGNED, Status.SUBCENTRE_REVIEW},
    # the sub-centre passes the department's reply up to the centre, or sends it back to the department
    Status.SUBCENTRE_REVIEW: {Status.REPLIED, Status.SIGNED},
    Status.REPLIED: {Status.CLOSED, Status.CALLBACK_REVIEW},
    Status.CALLBACK_REVIEW: {Status.NEW, Status.CLOSED},
    Status.CLOSED: set(),
}


ACTION_LABELS = {  # the verbs of refusal messages (the audit keeps the action's code)
    "dispatch": "派单", "transfer": "转 110/119/120/122", "direct_close": "直接办结", "sign": "签收", "return": "退单",
    "reply": "答复", "reply_drafted": "提交答复", "reply_signed_off": "签发答复", "reply_returned": "退回答复",
    "callback_failed": "登记回访", "callback_unsatisfied": "登记回访", "close_after_callback": "登记回访",
    "close_unreachable": "登记回访", "close_by_supervisor": "研判办结", "reopen": "重办", "merged": "合并",
    "close_no_contact": "按无联系电话办结",
    "return_upheld": "审核退单", "return_rejected": "审核退单",
    "not_accepted": "不予受理", "referred_disclosure": "转为政府信息公开申请",
    "contact": "记录首次联系", "extension_request": "申请延期", "callback": "回访",
    "redispatch": "二次派单", "subcentre_passed": "审核答复", "subcentre_sent_back": "审核答复",
}

WORKFLOW = Workflow(noun="工单", entity_kind=ENTITY, states=Status, transitions=TRANSITIONS,
                    action_labels=ACTION_LABELS)
