"""The citizen's application form (CSRF via Flask-WTF); field rules live in validation.py."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from core.forms import Form
from core.uploads import ACCEPT_ATTR
from requests_module.models import DELIVERIES, FORMS, ID_TYPES, ORG_TYPES


def _choices(mapping: Mapping[str, str]) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in mapping.items()]


class ApplicantContact(Form):
    """Who asks and how to reach them: the same fields on an application and on a correction request."""
    name = StringField("姓名 / 单位名称", validators=[Length(max=120)])
    contact_person = StringField("联系人（单位申请时填写）", validators=[Length(max=60)])
    id_number = StringField("证件号码 / 统一社会信用代码", validators=[Length(max=40)])
    phone = StringField("联系电话", validators=[Length(max=20)])
    email = StringField("电子邮箱（可选）", validators=[Length(max=254)])


class ApplicationForm(ApplicantContact):
    applicant_type = RadioField("申请人类型", choices=[SelectChoice("person", "公民"),
                                                   SelectChoice("org", "法人或其他组织")], default="person")
    org_type = SelectField("组织类型", choices=[SelectChoice("", "（公民不用选）")] + _choices(ORG_TYPES),
                           validators=[Optional()])
    id_type = SelectField("证件类型", choices=_choices(ID_TYPES))
    address = StringField("通信地址（选择邮寄时必填）", validators=[Length(max=200)])
    title = StringField("所需政府信息的名称", validators=[Length(max=200)])
    doc_number = StringField("文号（知道的话请填写）", validators=[Length(max=100)])
    description = TextAreaField("所需政府信息的内容描述", validators=[Length(max=5000)])
    form = RadioField("信息的载体形式", choices=_choices(FORMS), default="electronic")
    delivery = RadioField("获取信息的方式", choices=_choices(DELIVERIES), default="online")
    attachments = MultipleFileField("附件（可选，PDF/JPG/PNG/Word/Excel，每个不超过 10 MB，最多 5 个）", render_kw={"accept": ACCEPT_ATTR})
    publish_consent = BooleanField("同意在隐去个人信息并经审查后，将答复内容公开在公开答复库")

    def service_data(self) -> dict[str, Any]:
        return {f.name: f.data for f in self if f.name not in ("csrf_token", "attachments")}

    def new_files(self) -> list[tuple[str, bytes]]:
        """The files chosen in this request (read once: a refused form keeps them as pending uploads)."""
        if not hasattr(self, "_new_files"):
            self._new_files = [(f.filename, f.read()) for f in (self.attachments.data or []) if getattr(f, "filename", "")]
        return self._new_files

    def files(self) -> list[tuple[str, bytes]]:
        """The pending uploads claimed for this submit (core/pending_uploads.py), then the files chosen now."""
        return list(getattr(self, "pending_files", [])) + self.new_files()
