"""Correction requests (更正申请, 《政府信息公开条例》Art. 41): the model, its evidence, its states and decisions.

Design: a correction request is its own model, not a `kind` of DisclosureRequest. It shares the applicant's
identity fields and the organ's machinery (access rules, clocks, audit, uploads, notifications, the letter and
its remedy paragraph), but none of a disclosure application's procedure: no 补正 (Art. 30), no third-party
consultation (Art. 32), no fee (Art. 42), no outcome code of the annual-report table (国办公开办函〔2021〕30号
counts applications for disclosure only), no publication in the public log (it is about the applicant's own
record). As a kind of DisclosureRequest every one of those rules would need an "unless correction" guard;
as its own small table none of them can reach it, and each shared rule stays in its one place.
"""
import enum

from core.db import UTCDateTime
from core.extensions import db
from core.workflow import Workflow
from requests_module.models import Filing, StoredFile

ENTITY = "correction_request"


class Status(enum.Enum):
    RECEIVED = "received"  # with the organ; the internal target clock runs
    CLOSED = "closed"  # decided; the applicant has the written reply

    @property
    def label(self):
        return {Status.RECEIVED: "审核中", Status.CLOSED: "已答复"}[self]


TRANSITIONS = {Status.RECEIVED: {Status.CLOSED}, Status.CLOSED: set()}


WORKFLOW = Workflow(noun="更正申请", entity_kind=ENTITY, states=Status, transitions=TRANSITIONS,
                    action_labels={"decided": "作出处理决定"})


# Decisions of Art. 41: (label, the field the decision needs beyond its text)
DECISIONS = {
    "corrected": ("予以更正", None),  # 审核属实的，应当予以更正并告知申请人
    "forwarded": ("转送有权更正的行政机关处理", "organ"),  # 可以转送有权更正的行政机关处理并告知申请人
    "referred": ("告知向有权更正的行政机关提出", "organ"),  # 或者告知申请人向有权更正的行政机关提出
    "not_proven": ("不予更正（证据不能证明信息记录不准确）", None),  # 有证据证明 … 不准确 is not met
    "not_own": ("不予更正（所涉信息记录与申请人自身无关）", None),  # 与其自身相关 is not met
}


class CorrectionRequest(Filing, db.Model):
    __tablename__ = "correction_requests"

    status = db.Column(db.String(12), nullable=False, index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)


    record_title = db.Column(db.String(200), nullable=False)  # which information record
    provided_by = db.Column(db.String(120), nullable=False)  # the organ that provided it
    provided_on = db.Column(db.Date, nullable=False)  # when it was provided
    inaccuracy = db.Column(db.Text, nullable=False)  # what the record says that is wrong
    requested_text = db.Column(db.Text, nullable=False)  # what it should say

    submitted_at = db.Column(UTCDateTime(), nullable=False)
    received_on = db.Column(db.Date, nullable=False)

    decision = db.Column(db.String(12), nullable=True)
    decision_text = db.Column(db.Text, nullable=True)  # what was changed, or the reasons
    target_organ = db.Column(db.String(120), nullable=True)  # forwarded / referred to
    decided_on = db.Column(db.Date, nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    letter_number = db.Column(db.String(60), nullable=True)
    closed_at = db.Column(UTCDateTime(), nullable=True)

    version = db.Column(db.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    department = db.relationship("Department", lazy="joined")
    evidence = db.relationship("CorrectionEvidence", order_by="CorrectionEvidence.id", lazy="selectin")

    __table_args__ = (
        db.CheckConstraint("applicant_type IN ('person', 'org')", name="applicant_type"),
        db.CheckConstraint("status IN ('received', 'closed')", name="status"),
    )

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def receiving_department(self):
        """The organ the request is addressed to answers it (Art. 41: the organ that holds the record);
        remedy.issuing_organ reads it as it reads a disclosure application's 受理机关."""
        return self.department

    @property
    def decision_label(self):
        return DECISIONS[self.decision][0] if self.decision else None


class CorrectionEvidence(StoredFile, db.Model):
    """A file proving the record inaccurate (Art. 41: 有证据证明), checked by core/uploads."""

    __tablename__ = "correction_evidence"

    correction_id = db.Column(db.Integer, db.ForeignKey("correction_requests.id"), nullable=False, index=True)
