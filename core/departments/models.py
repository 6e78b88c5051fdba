"""The department table."""
from core.extensions import db


class Department(db.Model):
    __tablename__ = "departments"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(20), unique=True, nullable=False)
    name = db.Column(db.String(60), nullable=False)  # short name, e.g. 民政局
    full_name = db.Column(db.String(120), nullable=False)  # e.g. 盐城市亭湖区民政局
    kind = db.Column(db.String(10), nullable=False, default="organ")  # organ | town
    phone = db.Column(db.String(40), nullable=False, default="")
    email = db.Column(db.String(254), nullable=False, default="")
    address = db.Column(db.String(200), nullable=False, default="")
    # [{"topic": "...", "keywords": [...], "lead": bool}] from the seed work plan; used for routing.
    topics = db.Column(db.JSON, nullable=False, default=list)
    requires_signoff = db.Column(db.Boolean, nullable=False, default=False)
    # The organ that decides an administrative reconsideration of this organ's acts (行政复议法 2023
    # Art. 24, 27): printed in the remedy paragraph of its letters (requests_module/remedy.py).
    reconsideration_body = db.Column(db.String(120), nullable=False, default="盐城市亭湖区人民政府")
    active = db.Column(db.Boolean, nullable=False, default=True)

    __table_args__ = (db.CheckConstraint("kind IN ('organ', 'town')", name="kind"),)

    def to_public(self):
        return {
            "code": self.code,
            "name": self.name,
            "full_name": self.full_name,
            "kind": self.kind,
            "contact": {"phone": self.phone, "email": self.email, "address": self.address},
        }
