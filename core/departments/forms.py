"""Admin forms for departments."""
from __future__ import annotations

from typing import TYPE_CHECKING

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from core.forms import Form

if TYPE_CHECKING:
    from typing import Any


class DepartmentForm(Form):
    code = StringField("部门代码", validators=[DataRequired("请填写部门代码"), Length(max=20),
                       Regexp(r"^[a-z][a-z0-9_]*$", message="代码只能用小写字母、数字和下划线，并以字母开头")])
    name = StringField("简称", validators=[DataRequired("请填写简称"), Length(max=60)])
    full_name = StringField("全称", validators=[DataRequired("请填写全称"), Length(max=120)])
    kind = SelectField("类型", choices=[SelectChoice("organ", "区级部门"), SelectChoice("town", "镇（街道、经济区）"),
                                      SelectChoice("subcentre", "区 12345 分中心（两级派单）"),
                                      SelectChoice("centre", "市 12345 中心")])
    # The organisation tree of a city-wide 12345 (hotline/tiers.py); a district deployment leaves it empty.
    parent = StringField("上级机构代码（全市部署：分中心填市中心，部门填所属分中心；区级部署留空）",
                         validators=[Optional(), Length(max=20)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=40)])
    email = StringField("电子邮箱", validators=[Optional(), Email("邮箱格式不正确"), Length(max=254)])
    address = StringField("地址", validators=[Optional(), Length(max=200)])
    keywords = TextAreaField("补充分办关键词（以逗号或顿号分隔）", validators=[Optional(), Length(max=1000)])
    reconsideration_body = StringField("行政复议机关（印在答复书的救济告知中）", default="盐城市亭湖区人民政府",
                                       validators=[DataRequired("请填写行政复议机关"), Length(max=120)])
    reconsideration_body_alt = StringField("另一行政复议机关（可选）", validators=[Optional(), Length(max=120)])
    doc_code = StringField("发文机关代字（印在文号中，如“亭民政依申复〔2026〕1号”）",
                           validators=[Optional(), Length(max=20)])
    fee_payee = StringField("收款单位", validators=[Optional(), Length(max=120)])
    fee_bank = StringField("开户行", validators=[Optional(), Length(max=120)])
    fee_account = StringField("账号", validators=[Optional(), Length(max=40)])
    fee_payment_note = TextAreaField("缴费说明", validators=[Optional(), Length(max=500)])
    discloses = BooleanField("受理、答复政府信息公开申请（行政机关；党委部门不勾选）", default=True)
    requires_signoff = BooleanField("答复需部门负责人签发")
    active = BooleanField("启用", default=True)

    def data_for_service(self) -> dict[str, Any]:
        return {k: getattr(self, k).data for k in
                ("name", "full_name", "kind", "phone", "email", "address", "requires_signoff", "active",
                 "reconsideration_body", "reconsideration_body_alt", "discloses", "fee_payee", "fee_bank",
                 "fee_account", "fee_payment_note", "doc_code", "parent")}

    def keyword_list(self) -> list[str]:
        import re
        return [k for k in (s.strip() for s in re.split(r"[,，、;；\s]+", self.keywords.data or "")) if k]
