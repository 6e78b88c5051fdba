"""The department table."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.extensions import db

if TYPE_CHECKING:
    from typing import Any

DISTRICT_DOC_CODE = "亭政"  # the district government's 代字, also 区政府办's (it issues in the government's name)


def default_doc_code(code: str, name: str) -> str:
    """The seeded 代字 of a department: 亭政 for 区政府办 (the district government), else 亭 + the short name
    without 亭湖/区 before it and 分局/局 after it (民政局 → 亭民政, 区编办 → 亭编办, 公安分局 → 亭公安). An admin sets
    the one the organ really uses (GB/T 9704-2012 7.2.4); numbers issued before keep theirs."""
    if code == "zfb":
        return DISTRICT_DOC_CODE
    name = (name or "").strip().removeprefix("亭湖").removeprefix("区")
    for suffix in ("分局", "局"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[:-len(suffix)]
            break
    return "亭" + name


class Department(db.Model):  # type: ignore[name-defined]  # db.Model is built at run time
    __tablename__ = "departments"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(20), unique=True, nullable=False)
    name = db.Column(db.String(60), nullable=False)  # short name, e.g. 民政局
    full_name = db.Column(db.String(120), nullable=False)  # e.g. 盐城市亭湖区民政局
    kind = db.Column(db.String(10), nullable=False, default="organ")  # organ | town | centre | subcentre
    # The organisation tree of a city-wide 12345 (issue 20 item 3): 市 12345 centre → district sub-centres
    # (kind subcentre) → their departments → towns/streets. A district deployment leaves it empty (one level).
    parent_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=True, index=True)
    phone = db.Column(db.String(40), nullable=False, default="")
    email = db.Column(db.String(254), nullable=False, default="")
    address = db.Column(db.String(200), nullable=False, default="")
    # [{"topic": "...", "keywords": [...], "lead": bool}] from the seed work plan; used for routing.
    topics = db.Column(db.JSON, nullable=False, default=list)
    requires_signoff = db.Column(db.Boolean, nullable=False, default=False)
    # The organ that decides an administrative reconsideration of this organ's acts (行政复议法 2023
    # Art. 24, 27): printed in the remedy paragraph of its letters (requests_module/remedy.py).
    reconsideration_body = db.Column(db.String(120), nullable=False, default="盐城市亭湖区人民政府")
    # A second body where the law gives the applicant the choice "A 或者 B" (行政复议法 Art. 24 para. 4: a
    # 派出机构 of a city department by district; Art. 28: the 司法局); empty when there is one.
    reconsideration_body_alt = db.Column(db.String(120), nullable=False, default="")
    # Whether the organ answers disclosure applications: only administrative organs do (条例 Art. 2, 36);
    # a party organ (区委办) does not, though the hotline may still route to it.
    discloses = db.Column(db.Boolean, nullable=False, default=True)
    # How to pay a processing fee, printed on its 收费通知书 (条例 Art. 42; 国办函〔2020〕109号): payee, bank
    # and account, and/or a free-text way to pay. Nothing set: no fee notice can be issued.
    fee_payee = db.Column(db.String(120), nullable=False, default="")
    fee_bank = db.Column(db.String(120), nullable=False, default="")
    fee_account = db.Column(db.String(40), nullable=False, default="")
    fee_payment_note = db.Column(db.String(500), nullable=False, default="")
    # 发文机关代字 (GB/T 9704-2012 7.2.4: 发文字号 = 代字 + 〔年份〕 + 顺序号) printed in this organ's document
    # numbers (requests_module/numbering.py); for 区政府办 it is the district government's (亭政), since the
    # office issues in the government's name. Empty: derived from the short name (default_doc_code).
    doc_code = db.Column(db.String(20), nullable=False, default="")
    active = db.Column(db.Boolean, nullable=False, default=True)

    __table_args__ = (db.CheckConstraint("kind IN ('organ', 'town', 'centre', 'subcentre')", name="kind"),)

    @property
    def reconsideration_bodies(self) -> tuple[str, ...]:
        """The body or bodies (A, or A 或者 B) that decide a reconsideration of this organ's acts."""
        return tuple(b for b in (self.reconsideration_body, self.reconsideration_body_alt) if b and b.strip())

    @property
    def issuing_code(self) -> str:
        """The 代字 its documents bear: the admin's, else the seeded default (GB/T 9704-2012 7.2.4)."""
        return (self.doc_code or "").strip() or default_doc_code(self.code, self.name)

    def payment_lines(self) -> list[str]:
        """The fee notice's 缴费方式 lines; empty when the admin has set no channel (never invented)."""
        lines = []
        if self.fee_payee and self.fee_bank and self.fee_account:
            lines.append(f"收款单位：{self.fee_payee}；开户行：{self.fee_bank}；账号：{self.fee_account}。")
        if self.fee_payment_note and self.fee_payment_note.strip():
            lines.append(f"缴费方式：{self.fee_payment_note.strip().rstrip('。')}。")
        return lines

    def to_public(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "full_name": self.full_name,
            "kind": self.kind,
            "contact": {"phone": self.phone, "email": self.email, "address": self.address},
        }
