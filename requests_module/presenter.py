"""What the citizen's status page shows: the steps so far with dates, in plain Chinese."""


from core.calendar.service import local_zone
from requests_module import outcomes
from requests_module.queries import timeline

STEP_LABELS = {
    "submitted": "提交申请", "confirm_receipt": "确认收到申请", "assign": "分派承办部门", "reassign": "改派承办部门",
    "correction_notice": "发出补正告知", "correction_received": "收到补正材料", "consultation_sent": "征求意见",
    "consultation_answered": "收到征求意见答复", "fee_notice": "发出收费通知", "fee_paid": "缴纳费用",
    "extension": "延长答复期限", "reply": "作出答复", "reply_signed_off": "作出答复", "reject": "不予处理",
    "deemed_abandoned": "视为放弃申请",
}


def public_steps(req):
    """[(local time, label, note)] of the steps a citizen may see (no staff names, no internal drafts)."""
    tz = local_zone()
    steps = []
    for e in timeline(req):
        label = STEP_LABELS.get(e.action)
        if label is None:
            continue
        data = e.after_data or {}
        note = ""
        if e.action == "confirm_receipt":
            note = f"收到日期：{data.get('received_on')}"
        elif e.action == "extension":
            note = f"延长 {data.get('days')} 个工作日，理由：{data.get('reason')}"
        elif e.action in ("reply", "reply_signed_off", "reject", "deemed_abandoned") and req.outcome:
            o = outcomes.get(req.outcome)
            note = o.group if o.group == o.label else f"{o.group}：{o.label}"
        steps.append((e.at.astimezone(tz), label, note))
    return steps
