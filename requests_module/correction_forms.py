"""Forms of a correction request (条例 Art. 41): the citizen's (CSRF via Flask-WTF) and staff's paper
registration; field rules live in corrections.clean_correction."""
from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from core.departments.service import disclosing_departments
from core.uploads import ACCEPT_ATTR
from requests_module.corrections import PAPER_CHANNELS
from requests_module.forms import ApplicantContact
from requests_module.models import ID_TYPES


class CorrectionForm(ApplicantContact):
    # validate_choice=False: the services refuse a bad choice with a Chinese message (WTForms' is English)
    department = SelectField("向哪个行政机关提出更正", choices=[], validate_choice=False)
    applicant_type = RadioField("申请人类型", choices=[SelectChoice("person", "公民"),
                                                   SelectChoice("org", "法人或其他组织")], default="person",
                                validate_choice=False)
    id_type = SelectField("证件类型", choices=[SelectChoice(k, v) for k, v in ID_TYPES.items()], validate_choice=False)
    address = StringField("通信地址（可选）", validators=[Length(max=200)])
    record_title = StringField("不准确的政府信息记录（名称）", validators=[Length(max=200)])
    provided_by = StringField("提供该信息的行政机关", validators=[Length(max=120)])
    provided_on = StringField("提供日期")
    inaccuracy = TextAreaField("记录中不准确的内容", validators=[Length(max=5000)])
    requested_text = TextAreaField("应当更正为", validators=[Length(max=5000)])
    evidence = MultipleFileField("证据材料（必填，PDF/JPG/PNG/Word/Excel，每个不超过 10 MB，最多 5 个）", render_kw={"accept": ACCEPT_ATTR})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.department.choices = [SelectChoice("", "请选择")] + [SelectChoice(d.code, d.name)
                                                                  for d in disclosing_departments()]

    def service_data(self) -> dict[str, Any]:
        skip = ("csrf_token", "evidence", "department", "channel", "received_on")
        return {f.name: f.data for f in self if f.name not in skip}

    def new_files(self) -> list[tuple[str, bytes]]:
        """The files chosen in this request (read once: a refused form keeps them as pending uploads)."""
        if not hasattr(self, "_new_files"):
            self._new_files = [(f.filename, f.read()) for f in (self.evidence.data or []) if getattr(f, "filename", "")]
        return self._new_files

    def files(self) -> list[tuple[str, bytes]]:
        """The pending uploads claimed for this submit (core/pending_uploads.py), then the files chosen now."""
        return list(getattr(self, "pending_files", [])) + self.new_files()


class PaperCorrectionForm(CorrectionForm):
    channel = SelectField("申请方式", choices=[SelectChoice(k, v) for k, v in PAPER_CHANNELS.items()],
                          validate_choice=False)
    received_on = StringField("收到日期")
