"""Extension requests (延期申请, 条例 Art. 33 para. 2): a clerk asks, the head of the issuing organ's disclosure
work decides (access.may_approve_extension). The request's own small state: pending → approved | refused, decided
once (extensions.decide: one conditional UPDATE, so two heads deciding at once cannot both win)."""
from core.db import UTCDateTime
from core.extensions import db

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
STATUS_LABELS = {PENDING: "待审批", APPROVED: "已批准", REFUSED: "未批准"}


class ExtensionRequest(db.Model):
    __tablename__ = "extension_requests"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, index=True)
    days = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(10), nullable=False, default=PENDING)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    requested_at = db.Column(UTCDateTime(), nullable=False)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    decided_at = db.Column(UTCDateTime(), nullable=True)
    refusal_reason = db.Column(db.Text, nullable=True)

    request = db.relationship("DisclosureRequest")
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])

    __table_args__ = (
        db.CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
        # one pending request per application: a second one filed at the same moment fails here
        db.Index("uq_extension_requests_pending", "request_id", unique=True,
                 sqlite_where=db.text("status = 'pending'"), postgresql_where=db.text("status = 'pending'")),
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
