"""Disclosure applications, their attachments and consultations."""
from core.db import UTCDateTime
from core.extensions import db

ORG_TYPES = {"commercial": "商业企业", "research": "科研机构", "public_interest": "社会公益组织",
             "legal_service": "法律服务机构", "other": "其他"}
ID_TYPES = {"resident_id": "居民身份证", "passport": "护照", "hk_macao_permit": "港澳居民来往内地通行证",
            "taiwan_permit": "台湾居民来往大陆通行证", "uscc": "统一社会信用代码", "other": "其他证件"}
CHANNELS = {"online": "网上申请", "in_person": "当面提交", "mail": "邮寄", "fax": "传真", "oral": "口头申请（代为填写）"}
FORMS = {"paper": "纸质", "electronic": "电子"}
DELIVERIES = {"mail": "邮寄", "email": "电子邮件", "pickup": "当面领取", "online": "网上查看"}


class Applicant:
    """The applicant's columns, shared by disclosure applications and correction requests (Art. 29: name,
    identity document, contact details; an organisation with its contact person)."""

    applicant_type = db.Column(db.String(10), nullable=False)  # person | org
    name = db.Column(db.String(120), nullable=False)
    id_type = db.Column(db.String(20), nullable=False)
    id_number = db.Column(db.String(40), nullable=False)
    phone = db.Column(db.String(20), nullable=False)
    email = db.Column(db.String(254), nullable=False, default="")
    address = db.Column(db.String(200), nullable=False, default="")
    contact_person = db.Column(db.String(60), nullable=False, default="")


class Filing(Applicant):
    """What every request made to an organ has (disclosure applications, correction requests): its number, how it
    came in, and the citizen account it was made from (None on paper)."""

    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), unique=True, nullable=True)
    channel = db.Column(db.String(12), nullable=False)
    citizen_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)


class DisclosureRequest(Filing, db.Model):
    __tablename__ = "disclosure_requests"

    status = db.Column(db.String(24), nullable=False, index=True)

    org_type = db.Column(db.String(20), nullable=True)

    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False)
    doc_number = db.Column(db.String(100), nullable=False, default="")
    form = db.Column(db.String(12), nullable=False)
    delivery = db.Column(db.String(12), nullable=False)
    publish_consent = db.Column(db.Boolean, nullable=False, default=False)

    submitted_at = db.Column(UTCDateTime(), nullable=False)
    received_on = db.Column(db.Date, nullable=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    # The organ that received the application (受理机关) and answers it: NULL is the district government
    # (its 公开办 received it); requests_module/remedy.py:receiving_organ explains the rule.
    receiving_department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True)
    repeat_of_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=True)

    correction_notice_on = db.Column(db.Date, nullable=True)
    correction_items = db.Column(db.Text, nullable=True)
    correction_guidance = db.Column(db.Text, nullable=True)  # Art. 30 指导和释明 printed on the notice
    correction_due_on = db.Column(db.Date, nullable=True)
    correction_received_on = db.Column(db.Date, nullable=True)
    correction_text = db.Column(db.Text, nullable=True)

    fee_notice_on = db.Column(db.Date, nullable=True)
    fee_amount = db.Column(db.Numeric(10, 2), nullable=True)
    fee_due_on = db.Column(db.Date, nullable=True)
    fee_paid_on = db.Column(db.Date, nullable=True)
    # 国办函〔2020〕109号: the method (piece | pages), the units it counted and the itemised calculation
    fee_method = db.Column(db.String(8), nullable=True)
    fee_units = db.Column(db.Integer, nullable=True)
    fee_calculation = db.Column(db.JSON, nullable=True)
    # 国办函〔2020〕109号: a 按量 fee is for the information provided; a reply that provides none is made only
    # after the fee paid was paid back (requests_module/refunds.py): the day, amount, how and a note
    fee_refunded_on = db.Column(db.Date, nullable=True)
    fee_refund_amount = db.Column(db.Numeric(10, 2), nullable=True)
    fee_refund_method = db.Column(db.String(16), nullable=True)
    fee_refund_note = db.Column(db.String(200), nullable=True)

    # Art. 35: reasons asked for an apparently massive or repeated application, the applicant's explanation,
    # the organ's finding (None: not yet) and the 延迟答复合理期限 set when the reasons are accepted
    reason_requested_on = db.Column(db.Date, nullable=True)
    reason_items = db.Column(db.Text, nullable=True)
    reason_due_on = db.Column(db.Date, nullable=True)
    reason_received_on = db.Column(db.Date, nullable=True)
    reason_text = db.Column(db.Text, nullable=True)
    reason_decided_on = db.Column(db.Date, nullable=True)
    reason_accepted = db.Column(db.Boolean, nullable=True)
    reason_delay_due_on = db.Column(db.Date, nullable=True)

    extension_days = db.Column(db.Integer, nullable=False, default=0)
    extension_reason = db.Column(db.Text, nullable=True)
    # who approved the extension: the handling department's approver (Art. 33 para. 2; access.py)
    extension_approver_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    outcome = db.Column(db.String(40), nullable=True)
    # The frozen verdict of the newest answer clock (Art. 33: answered within the period), kept when the clock
    # stops (common.keep_answer_verdict) so that reports read no clock; None while open or without a clock.
    answer_on_time = db.Column(db.Boolean, nullable=True)
    legal_ground = db.Column(db.Text, nullable=True)
    holder_organ = db.Column(db.String(120), nullable=True)
    holder_contact = db.Column(db.String(200), nullable=True)  # Art. 36 (5): the holder organ's contact details
    # 本机关不掌握: Art. 36 (4) not_exist or (5) not_ours, and the reasons (5) requires (requests_module/not_held.py)
    not_held_basis = db.Column(db.String(12), nullable=True)
    # 予以公开: Art. 36 (1) published or (2) provided; 予以公开/部分公开 (Art. 37): how, where, when it is obtained
    # (requests_module/disclosed.py)
    disclosure_basis = db.Column(db.String(12), nullable=True)
    disclosure_access = db.Column(db.String(500), nullable=True)
    not_ours_reason = db.Column(db.Text, nullable=True)
    reply_text = db.Column(db.Text, nullable=True)
    reply_doc_number = db.Column(db.String(60), nullable=True)
    # Set when the reply is the 补录 of a letter issued on paper (numbering.paper_number): that letter's own
    # number, which is then also reply_doc_number; the system assigned none. None: the system's own letter.
    reply_paper_number = db.Column(db.String(60), nullable=True)
    replied_on = db.Column(db.Date, nullable=True)
    reply_author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    closed_at = db.Column(UTCDateTime(), nullable=True)

    version = db.Column(db.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    department = db.relationship("Department", lazy="joined", foreign_keys=[department_id])
    receiving_department = db.relationship("Department", lazy="joined", foreign_keys=[receiving_department_id])
    extension_approver = db.relationship("User", foreign_keys=[extension_approver_id])

    @property
    def status_label(self):
        from requests_module.states import Status
        return Status(self.status).label
    attachments = db.relationship("RequestAttachment", order_by="RequestAttachment.id", lazy="selectin")
    consultations = db.relationship("Consultation", order_by="Consultation.id", lazy="selectin")
    disputes = db.relationship("Dispute", order_by="Dispute.id", lazy="selectin")
    documents = db.relationship("RequestDocument", order_by="RequestDocument.id", lazy="selectin",
                                back_populates="request")

    __table_args__ = (
        db.CheckConstraint("applicant_type IN ('person', 'org')", name="applicant_type"),
        db.Index("ix_disclosure_requests_applicant", "id_number"),
        db.Index("ix_disclosure_requests_phone", "phone"),
    )


class StoredFile:
    """An uploaded file checked by core/uploads and stored under `stored_name` (attachments, correction evidence)."""

    id = db.Column(db.Integer, primary_key=True)
    filename = db.Column(db.String(200), nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    uploaded_at = db.Column(UTCDateTime(), nullable=False)


ATTACHMENT_KINDS = {"application": "申请材料", "correction": "补正材料", "reply": "答复附件",
                    "withdrawn": "已退回草稿的附件（未发出）"}


class RequestAttachment(StoredFile, db.Model):
    __tablename__ = "request_attachments"

    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, index=True)
    # application | correction | reply | withdrawn (a returned draft's reply file: never sent, kept for the record)
    kind = db.Column(db.String(12), nullable=False)

    @property
    def kind_label(self):
        return ATTACHMENT_KINDS.get(self.kind, self.kind)


class Consultation(db.Model):
    """A written consultation of a third party (Art. 32) or another organ (Art. 34)."""

    __tablename__ = "consultations"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, index=True)
    kind = db.Column(db.String(12), nullable=False)  # third_party | organ
    party = db.Column(db.String(120), nullable=False)
    # a third party: person (您) or org (贵单位), as chosen when consulting; null for an organ (贵机关) and for
    # consultations recorded before the choice existed
    party_type = db.Column(db.String(8), nullable=True)
    sent_on = db.Column(db.Date, nullable=False)
    deadline_on = db.Column(db.Date, nullable=True)  # a third party's: set when the letter's delivery is recorded
    answered_on = db.Column(db.Date, nullable=True)
    opinion = db.Column(db.Text, nullable=True)
    # Art. 32 / 34: agreed | objected | silent (requests_module/third_party.py); null while unanswered
    answer = db.Column(db.String(12), nullable=True)


class Dispute(db.Model):
    """An administrative reconsideration (行政复议) or lawsuit (行政诉讼) over an application, and its result
    (for section 四 of the annual report)."""

    __tablename__ = "disclosure_disputes"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)  # reconsideration | litigation
    after_reconsideration = db.Column(db.Boolean, nullable=False, default=False)  # litigation only
    filed_on = db.Column(db.Date, nullable=False)
    result = db.Column(db.String(12), nullable=True)  # upheld | corrected | other; None while pending
    decided_on = db.Column(db.Date, nullable=True)
    note = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime(), nullable=False)

    __table_args__ = (
        db.CheckConstraint("kind IN ('reconsideration', 'litigation')", name="kind"),
        db.CheckConstraint("result IS NULL OR result IN ('upheld', 'corrected', 'other')", name="result"),
    )


DOCUMENT_KINDS = {"correction_notice": "补正告知书", "extension_notice": "延期告知书",
                  "consultation_letter": "征求意见书", "fee_notice": "收费通知书", "reply": "政府信息公开申请答复书",
                  "disclosure_notice": "决定公开告知书（第三方）", "reason_notice": "说明理由告知书",
                  "delay_notice": "延迟答复告知书"}
DELIVERY_METHODS = {"online_read": "网上申请系统消息（已读）", "sms": "短信", "email": "电子邮件",
                    "registered_mail": "挂号信（邮政给据）", "in_person": "直接送达（当面签收）"}


class RequestDocument(db.Model):
    """A document issued on an application (补正告知书, 延期告知书, 征求意见书, 收费通知书, 答复书) and its
    delivery (送达): a period that runs from the addressee's receipt runs from `delivered_on`."""

    __tablename__ = "request_documents"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, index=True)
    consultation_id = db.Column(db.Integer, db.ForeignKey("consultations.id"), nullable=True)
    kind = db.Column(db.String(24), nullable=False)
    addressee = db.Column(db.String(120), nullable=False)
    number = db.Column(db.String(60), nullable=False)
    issued_on = db.Column(db.Date, nullable=False)
    body = db.Column(db.Text, nullable=False, default="")  # what is asked or decided, as issued
    period_workdays = db.Column(db.Integer, nullable=True)  # the addressee's period, counted from receipt
    due_on = db.Column(db.Date, nullable=True)  # end of that period: known once delivery is recorded
    answer_due_on = db.Column(db.Date, nullable=True)  # the organ's answer due date it announces (延期告知书)
    created_at = db.Column(UTCDateTime(), nullable=False)

    delivery_method = db.Column(db.String(16), nullable=True)
    tracking_number = db.Column(db.String(40), nullable=True)
    delivered_on = db.Column(db.Date, nullable=True)
    delivery_recorded_at = db.Column(UTCDateTime(), nullable=True)
    delivery_recorded_by = db.Column(db.String(120), nullable=True)

    # A period that seemed to run out without automatic closure: the staff decision (视为放弃 or 正当理由).
    lapse_decision = db.Column(db.String(16), nullable=True)  # abandoned | late_accepted
    lapse_reason = db.Column(db.Text, nullable=True)
    lapse_decided_at = db.Column(UTCDateTime(), nullable=True)
    lapse_decided_by = db.Column(db.String(120), nullable=True)

    consultation = db.relationship("Consultation", lazy="joined")
    request = db.relationship("DisclosureRequest", back_populates="documents")

    __table_args__ = (
        db.CheckConstraint("kind IN ('correction_notice', 'extension_notice', 'consultation_letter', "
                           "'fee_notice', 'reply', 'disclosure_notice', 'reason_notice', 'delay_notice')", name="kind"),
        db.CheckConstraint("delivery_method IS NULL OR delivery_method IN ('online_read', 'sms', 'email', "
                           "'registered_mail', 'in_person')", name="delivery_method"),
        db.CheckConstraint("lapse_decision IS NULL OR lapse_decision IN ('abandoned', 'late_accepted')",
                           name="lapse_decision"),
    )

    @property
    def kind_label(self):
        return DOCUMENT_KINDS[self.kind]

    @property
    def delivery_label(self):
        return DELIVERY_METHODS.get(self.delivery_method)
class LetterNumberCounter(db.Model):
    """The last document number issued in a series and year: incremented in the issuing transaction, so numbers
    are sequential, without gaps or duplicates (requests_module/numbering.py). A series is one organ's kind of
    document ("disclosure_reply/d12", "correction_notice/gov"); the old shared series keep their last number."""

    __tablename__ = "letter_number_counters"

    series = db.Column(db.String(60), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    last = db.Column(db.Integer, nullable=False)


class ReplyDraft(db.Model):
    """The reply form as a clerk saved it (保存草稿) without submitting: one per application, refilled on the
    handling page until the reply is submitted. Not the `reply_drafted` state (a submitted reply awaiting
    sign-off): nothing here is the organ's act, the applicant never sees it."""

    __tablename__ = "reply_drafts"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("disclosure_requests.id"), nullable=False, unique=True)
    values = db.Column(db.Text, nullable=False, default="{}")  # JSON {field: [values]}, pending-upload tokens too
    saved_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    saved_at = db.Column(UTCDateTime(), nullable=False)

    saved_by = db.relationship("User", foreign_keys=[saved_by_id])
