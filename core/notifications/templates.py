"""Message templates per event, in Chinese. Subjects and bodies are plain text (SMS and email);
pages escape them when they show in-app notifications.

Every value is set inside a sentence that brings its own punctuation, so each is put in as a clause
(core.formats.clause: a reason typed with its own "。" does not make "。。" or "。；"), and a date as zh_date."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from jinja2 import Environment, StrictUndefined

from core.formats import clause, zh_date

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any


# How the answer period runs around 补正, 征求意见 and 缴费 (条例 Art. 30, Art. 33 para. 3; 国办函〔2020〕109号): said
# the same way in the period notice and on the applicant's progress page (requests_module.common.due_text).
PERIOD_RULES = ("补正的，答复期限自本机关收到补正后的申请之日起重新计算（条例第三十条）；征求第三方或者其他机关意见所需时间"
                "不计算在答复期限内（第三十三条第三款）；缴费期间依《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）处理。")


def _value(value: Any) -> Any:
    """How a context value is written into a message (jinja's finalize: every {{ … }})."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return zh_date(value)
    return clause(value) if isinstance(value, str) else value


_env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False, finalize=_value)

TEMPLATES = {
    "clock_due_soon": (
        "【临期】{{ label }} {{ clock_name }}将于{{ due }}到期",
        "{{ label }} 的{{ clock_name }}将于{{ due }}到期，请抓紧办理。",
    ),
    "clock_overdue": (
        "【超期】{{ label }} {{ clock_name }}已超期",
        "{{ label }} 的{{ clock_name }}已于{{ due }}到期，目前仍未办结。请部门负责人督促办理。",
    ),
    "clock_escalated": (
        "【督办】{{ label }} 超期未办结",
        "{{ department }}承办的 {{ label }}（{{ clock_name }}）已于{{ due }}到期，超期仍未办结，请督办。",
    ),
    "clock_escalation_digest": (
        # one per supervisor and sweep (core/clocks/sweep.py: _escalate), however many items it names
        "【督办汇总】{{ count }} 件事项超期未办结",
        "截至{{ at }}，共有 {{ count }} 件事项超期已满{{ hours }}小时仍未办结，请督办（{{ by_department }}）。\n"
        "到期最早的 {{ shown }} 件：\n{{ items }}\n全部超期事项见超期清单。",
    ),
    "calendar_missing": (
        "【提醒】{{ year }} 年官方放假安排尚未导入",
        "{{ year }} 年的国务院放假安排尚未导入系统，跨年期限目前按法定节假日暂定计算。"
        "国务院公布后，请在“工作日历”页面导入（CSV 或 iCalendar 文件）。",
    ),
    "new_assignment": (
        "【新分办】{{ label }}",
        "{{ label }} 已分派给{{ department }}办理，办理期限：{{ due }}。",
    ),
    "correction_notice": (
        "【补正通知】您的申请 {{ label }} 需要补正",
        "您提交的政府信息公开申请（{{ label }}）需要补正：{{ detail }}。补正期限：{{ due }}，"
        "逾期不补正又无正当理由的，视为放弃申请。",
    ),
    "reason_request": (
        "【说明理由】您的申请 {{ label }} 需要说明理由",
        "您提交的政府信息公开申请（{{ label }}）数量、频次明显超过合理范围：{{ detail }}。请于{{ due }}前说明理由"
        "（《中华人民共和国政府信息公开条例》第三十五条）；理由不合理的，将告知不予处理。",
    ),
    "reason_delay": (
        "【延迟答复】{{ label }} 答复期限",
        "您的申请（{{ label }}）说明的理由经审查合理，但无法在法定期限内答复，答复期限延迟至{{ due }}"
        "（《中华人民共和国政府信息公开条例》第三十五条）。",
    ),
    "fee_notice": (
        "【收费通知】您的申请 {{ label }} 需缴纳信息处理费",
        "您的政府信息公开申请（{{ label }}）需缴纳信息处理费{{ amount }}元。收费依据：{{ basis }}；计费方式：{{ method }}；"
        "收费标准：{{ standard }}。计算：{{ detail }}。请{{ due }}缴纳，逾期未缴纳又无正当理由的，视为放弃申请。",
    ),
    "extension": (
        "【延期告知】{{ label }} 答复期限延长",
        # 条例 Art. 33 para. 2: approved by the head of the disclosure work, at most 20 working days
        "经政府信息公开工作机构负责人同意，依照《中华人民共和国政府信息公开条例》第三十三条第二款，您的申请（{{ label }}）"
        "答复期限延长{{ days }}个工作日，至{{ due }}。理由：{{ detail }}。",
    ),
    "extension_request_filed": (
        "【延期待审批】{{ label }} 申请延长答复期限",
        "{{ requester }}申请将 {{ label }} 的答复期限（{{ due }}）延长{{ days }}个工作日，理由：{{ detail }}。"
        "延期须经您在期限届满前批准（条例第三十三条第二款）。",
    ),
    "extension_request_decided": (
        "【延期审批】{{ label }} 延期申请{{ result }}",
        "您为 {{ label }} 提交的延期申请{{ result }}：{{ detail }}。",
    ),
    "reply": (
        "【答复】{{ label }} 已答复",
        "您的{{ kind }}（{{ label }}）已答复，请登录或凭申请编号和查询码查看答复内容。",
    ),
    "return_rejected": (
        "【退单不成立】{{ label }} 请继续办理",
        "贵单位对工单 {{ label }} 的退单申请经 12345 中心审核不成立，请继续办理。理由：{{ detail }}。办理期限：{{ due }}"
        "（审核期间不计入办理时限）。",
    ),
    "ticket_extended": (
        "【12345】您的诉求 {{ label }} 办理期限延长",
        "您反映的诉求（{{ label }}）经批准延期办理，办理期限延长至{{ due }}。可凭编号和查询码查询办理进度。",
    ),
    "ticket_merged": (
        "【12345】您的诉求 {{ label }} 已合并办理",
        "您反映的问题与工单 {{ master }} 为同一事项，已合并办理，办理结果将一并告知您。",
    ),
    "ticket_not_accepted": (
        "【12345】您的诉求 {{ label }} 请通过其他渠道反映",
        "您反映的事项（{{ label }}）不属于 12345 热线受理范围，请{{ detail }}。感谢您的理解。",
    ),
    "ticket_referred_disclosure": (
        "【12345】申请政府信息公开的方式",
        "您在 12345 提出的事项（{{ label }}）属于申请获取政府信息，须由您本人书面提出申请（《中华人民共和国政府信息公开条例》"
        "第二十九条）。已为您预填申请表，请核对、补充后自行提交：{{ link }} （{{ days }} 天内有效，仅可使用一次）",
    ),
    "ticket_merged_answered": (
        "【12345】您的诉求 {{ label }} 已答复",
        "您反映的问题（{{ label }}）已与工单 {{ master }} 合并办理，现已答复。请凭工单编号 {{ label }} 和查询码在"
        "12345 网上诉求页面查看答复；查询码遗失的，可在该页面凭本手机号重新获取。",
    ),
    "access_code": (
        "【查询码】{{ label }}",
        "您的{{ label }}查询码：{{ code }}。凭编号和查询码可在网上查询办理进度，请勿告诉他人。",
    ),
    "auth_code_register": (
        "【注册验证码】",
        "您的注册验证码：{{ code }}，{{ minutes }}分钟内有效。如非本人操作，请忽略本消息。",
    ),
    "auth_code_reset": (
        "【找回密码】验证码",
        "您正在找回密码，验证码：{{ code }}，{{ minutes }}分钟内有效。如非本人操作，请忽略本消息，您的密码不会改变。",
    ),
    "account_exists": (
        "【账号提醒】有人尝试用您的手机号或邮箱注册",
        "您的手机号或邮箱已注册过账号，刚才有人用它申请注册。如果是您本人，请直接登录；忘记密码可在登录页“忘记密码”找回。"
        "如非本人操作，请忽略本消息。",
    ),
    "supervision_order": (
        "【督办单】{{ label }} 请于{{ due }}前书面反馈",
        "12345 热线督办单 {{ label }}：{{ department }}承办的工单被督办，请于{{ due }}前书面反馈办理情况。",
    ),
    "supervision_escalated": (
        "【升级督办】{{ label }} 逾期未反馈",
        "{{ department }}对督办单 {{ label }} 的书面反馈已于{{ due }}到期仍未提交，已升级督办。",
    ),
    "application_received": (
        # 条例 Art. 31 (3): an online application is received on the day both sides confirm, not on submission
        "【已提交】您的申请 {{ label }}",
        "您在网上提交的政府信息公开申请（{{ label }}）已提交成功，本机关将于{{ confirm_by }}前确认收到申请之日，"
        "答复期限自该日起计算（《中华人民共和国政府信息公开条例》第三十一条、第三十三条）。凭申请编号和查询码可查询办理进度。",
    ),
    "answer_period_started": (
        "【答复期限】您的申请 {{ label }} 开始计算答复期限",
        "您的政府信息公开申请（{{ label }}）收到申请之日为{{ received }}，依照《中华人民共和国政府信息公开条例》第三十三条，"
        "答复期限为{{ due }}。"
        + PERIOD_RULES + "最新期限以办理进度页面为准。",
    ),
    "correction_received": (
        # 条例 Art. 30: after a correction the period is counted again from the day it was received
        "【答复期限】您的申请 {{ label }} 补正已收到",
        "您的政府信息公开申请（{{ label }}）的补正已于{{ on }}收到，依照《中华人民共和国政府信息公开条例》第三十条，"
        "答复期限自该日起重新计算，至{{ due }}。最新期限以办理进度页面为准。",
    ),
    "correction_submitted": (
        "【补正已提交】{{ label }}",
        "申请人已提交申请 {{ label }} 的补正材料，答复期限自{{ on }}起重新计算，至{{ due }}。请查看补正内容后继续办理。",
    ),
    "reply_awaiting_signoff": (
        "【待签发】{{ label }}",
        "{{ author }}已就申请 {{ label }} 拟好答复（{{ outcome }}），待您签发或退回修改（《政府信息公开条例》第三十六条）。",
    ),
    "reply_returned": (
        "【答复退回】{{ label }}",
        "{{ approver }}退回了申请 {{ label }} 的答复，意见：{{ note }}。原答复已存为草稿，请修改后重新提交。",
    ),
    "correction_request_received": (
        "【更正申请】{{ label }}",
        "{{ department }}收到更正申请 {{ label }}（《中华人民共和国政府信息公开条例》第四十一条），涉及记录：“{{ record }}”。"
        "内部办理目标：{{ due }}。请审核证据并作出处理。",
    ),
    "ticket_mail_reply": (  # an operator's reply in a ticket's mail thread (hotline/mail_intake.py)
        "【12345】关于您的诉求 {{ label }} 的回复 {{ token }}",
        "{{ text }}。\n\n——亭湖区 12345 政务服务便民热线\n"
        "如需补充，请直接回复本邮件并保留主题中的编号 {{ token }}，您的回复将并入该工单。",
    ),
    "ticket_sms_reply": (  # an operator's reply in a ticket's SMS conversation (hotline/sms_thread.py)
        "【12345】关于您的诉求 {{ label }} 的回复",
        "【12345】关于您的诉求（工单 {{ label }}）：{{ text }}。如需补充，可直接回复本短信，您的回复将并入该工单。",
    ),
    "ticket_accepted": (
        "【12345】您的诉求 {{ label }} 已受理",
        "您反映的诉求（{{ label }}）已受理，12345 中心将于{{ due }}前派至承办单位办理或直接答复。凭工单编号和查询码可在网上查询办理进度。",
    ),
    "ticket_dispatched": (
        "【12345】您的诉求 {{ label }} 已交办",
        "您反映的诉求（{{ label }}）已交由{{ department }}办理，办理期限：{{ due }}。",
    ),
    "callback_unsatisfied": (
        "【不满意】{{ label }} 回访不满意，请研判",
        "工单 {{ label }}（承办：{{ department }}）回访结果为不满意（问题{{ resolved }}），请研判：重办，或写明理由后办结。",
    ),
    "hotspot_alert": (
        # one per supervisor and hot spot (hotline/hotspots.py), rewritten — never repeated — when it gains tickets
        "【热点预警】{{ label }} {{ count }} 件",
        "近 {{ days }} 天内，{{ label }}已有 {{ count }} 件诉求，来自 {{ callers }} 位来电人{{ grown }}，"
        "达到热点预警条件（{{ detail }}）。工单：{{ items }}。请研判是否合并办理或联合派单。",
    ),
    "test_message": (
        "【测试】{{ label }}",
        "这是一条测试通知：{{ label }}。",
    ),
}


_compiled = {event: (_env.from_string(s), _env.from_string(b)) for event, (s, b) in TEMPLATES.items()}


def render(event: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of an event; a missing context value raises instead of sending a broken text."""
    if event not in _compiled:
        raise KeyError(f"no template for event {event!r}")
    subject, body = _compiled[event]
    return subject.render(context)[:200], body.render(context)


_PLAIN = re.compile(r"\{\{\s*(\w+)\s*\}\}")  # a template tag that only puts a value in


def _as_format(source: str) -> tuple[str, tuple[str, ...]] | None:
    """A template made only of text and plain {{ name }} tags as a %-format and its names; None for any other."""
    parts = _PLAIN.split(source)
    literals = parts[0::2]
    if any("{{" in t or "{%" in t or "{#" in t for t in literals):
        return None  # filters, conditions, loops, comments: jinja must render it
    return "%s".join(t.replace("%", "%%") for t in literals), tuple(parts[1::2])


def renderer(event: str) -> Callable[[Mapping[str, Any]], tuple[str, str]]:
    """render(event, ·) for many messages of one event (a sweep writes tens of thousands): a template of plain
    {{ name }} tags becomes a %-format once, each value finalized as jinja's finalize does, so the text is the same
    as render's at a fraction of the cost; any other template is rendered by jinja."""
    if event not in _compiled:
        raise KeyError(f"no template for event {event!r}")
    subject_src, body_src = TEMPLATES[event]
    subject_fmt, body_fmt = _as_format(subject_src), _as_format(body_src)
    if subject_fmt is None or body_fmt is None:
        return lambda context: render(event, context)
    names = set(subject_fmt[1]) | set(body_fmt[1])

    def one(context: Mapping[str, Any]) -> tuple[str, str]:
        values = {n: _value(context[n]) for n in names}
        return (subject_fmt[0] % tuple(values[n] for n in subject_fmt[1]))[:200], \
            body_fmt[0] % tuple(values[n] for n in body_fmt[1])
    return one
