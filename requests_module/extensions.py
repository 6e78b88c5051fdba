"""Extension requests (issue 18 item 13): a clerk asks for the Art. 33 para. 2 extension, the head of the issuing
organ's disclosure work decides ("经政府信息公开工作机构负责人同意"; who: access.may_approve_extension).

- Filing checks what the extension itself would (handling.check_extension, dated the day of filing): a request
  filed after the due date is refused, and at most one request waits per application.
- Approval grants the extension from the day of approval (handling.grant_extension: the due date recomputed by
  the clock, the approver recorded, the 延期告知书 issued to the applicant as for a direct extension); an approval
  after the due date is refused (the period cannot be reopened).
- Refusal needs a reason, which the clerk is told. A decided request is never decided again: the decision is one
  conditional UPDATE (pending → decided), so of two heads deciding at once exactly one wins.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.db import unit_of_work
from core.errors import DomainError, NotTheirs, ValidationError
from core.extensions import db
from core.formats import zh_date
from core.notifications.service import notify
from core.workflow import TransitionError
from requests_module import access, handling
from requests_module.common import ENTITY, clock, dated, log_event, today
from requests_module.extension_models import APPROVED, PENDING, REFUSED, STATUS_LABELS, ExtensionRequest

if TYPE_CHECKING:
    from requests_module.models import DisclosureRequest


def _clean(text: str | None) -> str:
    """The reason as messages quote it: no trailing full stop (the message adds its own)."""
    return (text or "").strip().rstrip("。；;.")


def pending_of(req: DisclosureRequest) -> ExtensionRequest | None:
    """The request waiting for a decision on this application, if any."""
    return ExtensionRequest.query.filter_by(request_id=req.id, status=PENDING).first()


def history(req: DisclosureRequest) -> list[ExtensionRequest]:
    """Every extension request of this application, oldest first."""
    return ExtensionRequest.query.filter_by(request_id=req.id).order_by(ExtensionRequest.id).all()


def of_request(req: DisclosureRequest, extension_request_id: int | None) -> ExtensionRequest:
    """An extension request of this application (a ValidationError for another application's or none)."""
    found = db.session.get(ExtensionRequest, extension_request_id or 0)
    if found is None or found.request_id != req.id:
        raise ValidationError("请选择本申请的延期申请", field="extension_request")
    return found


def awaiting(user: Any) -> list[ExtensionRequest]:
    """The pending requests `user` may decide (the approver's block on the staff queue and the API list)."""
    from requests_module.models import DisclosureRequest

    if getattr(user, "role", None) is None or not user.is_authenticated:
        return []
    rows = (access.visible(ExtensionRequest.query.join(DisclosureRequest, ExtensionRequest.request_id == DisclosureRequest.id),
                           DisclosureRequest, user)
            .filter(ExtensionRequest.status == PENDING).order_by(ExtensionRequest.requested_at).all())
    return [r for r in rows if access.may_approve_extension(user, r.request)]


def _approvers(req: DisclosureRequest) -> list[Any]:
    """The active accounts that may decide an extension request of `req` (who is told of one, and whether one may
    be filed at all)."""
    from core.auth.models import Role, User

    return [u for u in User.query.filter_by(role=Role.APPROVER).all() if u.active and access.may_approve_extension(u, req)]


NO_APPROVER = "本机关尚无政府信息公开工作机构负责人账号，无法审批延期；请联系系统管理员"
OWN_REQUEST = "不能审批本人提出的延期申请"


def _who(user: Any) -> str:
    return getattr(user, "name", None) or getattr(user, "email", None) or "办理人员"


def request_extension(req: DisclosureRequest, *, days: int, reason: str | None, now: datetime,
                      actor: Any) -> ExtensionRequest:
    """A clerk asks for the Art. 33 para. 2 extension: the same checks as the extension on the day of filing
    (after the due date it is refused), one waiting request per application; the organ's heads are told."""
    if not access.can_act(actor, req, "extension_request"):
        raise DomainError("只有承办部门或受理机关的办理人员可以申请延期")
    on = today(now)
    answer = clock(req)
    if answer is not None and answer.state == "running" and answer.due_on is not None and on > answer.due_on:
        raise TransitionError(f"答复期限已于{zh_date(answer.due_on)}届满，不能再申请延期：延期须在期限届满前"
                              "经政府信息公开工作机构负责人同意（条例第三十三条第二款）")
    handling.check_extension(req, days=days, reason=reason, on=on, now=now)
    waiting = pending_of(req)
    if waiting is not None:
        raise TransitionError(f"本申请已有一份延期申请待审批（{_who(waiting.requested_by)}提交），请等待审批结果")
    approvers = _approvers(req)
    heads = [u for u in approvers if u.id != actor.id]  # nobody decides their own request
    if not heads:
        raise TransitionError(NO_APPROVER if not approvers else
                              "本机关政府信息公开工作机构负责人账号只有您本人，" + OWN_REQUEST + "；请联系系统管理员")
    try:
        with unit_of_work():
            ext = ExtensionRequest(request_id=req.id, days=days, reason=(reason or "").strip(), status=PENDING,
                                   requested_by_id=actor.id, requested_at=now)
            db.session.add(ext)
            db.session.flush()  # one pending per application: a request filed at the same moment fails here
            log_event(req, "extension_requested", now=now, actor=actor,
                      detail={"extension_request": ext.id, "days": days, "reason": ext.reason})
            for head in heads:
                notify("extension_request_filed", now=now, user=head, channels=("inapp",), entity=(ENTITY, req.id),
                       context={"label": req.number, "requester": _who(actor), "days": days,
                                "due": zh_date(answer.due_on) if answer is not None else "—",
                                "detail": _clean(reason)})
    except IntegrityError:
        raise TransitionError("本申请已有一份延期申请待审批，请等待审批结果") from None
    return ext


def decide(req: DisclosureRequest, ext: ExtensionRequest, *, approve: bool, reason: str | None, now: datetime,
           actor: Any) -> ExtensionRequest:
    """The head of the issuing organ's disclosure work approves (the extension runs from today, 延期告知书 to
    the applicant) or refuses with a reason told to the clerk (条例 Art. 33 para. 2); decided once only."""
    refusal = access.extension_refusal(actor, req)
    if refusal:
        raise DomainError(refusal)
    if ext.request_id != req.id:
        raise ValidationError("请选择本申请的延期申请", field="extension_request")
    if ext.status != PENDING:
        raise TransitionError(f"该延期申请已处理（{STATUS_LABELS[ext.status]}，{_who(ext.decided_by)}），不能再次审批")
    if ext.requested_by_id == getattr(actor, "id", None):
        raise NotTheirs(OWN_REQUEST)
    on = today(now)
    answer = None
    if approve:
        answer = handling.check_extension(req, days=ext.days, reason=ext.reason, on=on, now=now)
    elif not _clean(reason):
        raise ValidationError("不批准时请写明理由", field="refusal_reason")
    with unit_of_work(), dated(on, now):
        status = APPROVED if approve else REFUSED
        won = db.session.execute(
            update(ExtensionRequest).where(ExtensionRequest.id == ext.id, ExtensionRequest.status == PENDING)
            .values(status=status, decided_by_id=actor.id, decided_at=now,
                    refusal_reason=None if approve else (reason or "").strip()),
            execution_options={"synchronize_session": False}).rowcount  # type: ignore[attr-defined]
        if not won:
            raise TransitionError("该延期申请刚被他人审批，请刷新页面查看结果")
        db.session.refresh(ext)
        if approve:
            handling.grant_extension(req, answer, days=ext.days, reason=ext.reason, on=on, now=now, actor=actor)
            detail = f"答复期限延长{ext.days}个工作日，至{zh_date(answer.due_on)}"
        else:
            log_event(req, "extension_refused", now=now, actor=actor,
                      detail={"extension_request": ext.id, "reason": ext.refusal_reason})
            detail = f"不批准的理由：{_clean(reason)}"
        requester = ext.requested_by
        if requester is not None:
            notify("extension_request_decided", now=now, user=requester, channels=("inapp",),
                   entity=(ENTITY, req.id), context={"label": req.number, "result": STATUS_LABELS[status],
                                                     "detail": detail})
    return ext


def as_json(ext: ExtensionRequest) -> dict[str, Any]:
    """An extension request as the API shows it (openapi.py ExtensionRequest)."""
    return {"id": ext.id, "request_id": ext.request_id, "number": ext.request.number, "days": ext.days,
            "reason": ext.reason, "status": ext.status, "status_label": ext.status_label,
            "requested_by": _who(ext.requested_by), "requested_at": ext.requested_at.isoformat(),
            "decided_by": _who(ext.decided_by) if ext.decided_by else None,
            "decided_at": ext.decided_at.isoformat() if ext.decided_at else None, "refusal_reason": ext.refusal_reason}
