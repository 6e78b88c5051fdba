"""Checks of an application's fields (Art. 29), each bad field named in Chinese."""
import re
from collections.abc import Mapping
from typing import Any

from core.errors import ValidationError
from core.formats import is_email, is_phone, valid_resident_id, valid_uscc
from requests_module.models import DELIVERIES, FORMS, ID_TYPES, ORG_TYPES


def _text(data, key, limit, required=True, label=""):
    value = data.get(key) or ""
    if not isinstance(value, str):
        return "", f"{label}应为文字"
    value = value.strip()
    if required and not value:
        return value, f"请填写{label}"
    if len(value) > limit:
        return value, f"{label}最多 {limit} 字"
    return value, None


def _taker(data, errors, out):
    def take(key, limit, required=True, label=""):
        value, err = _text(data, key, limit, required, label)
        if err:
            errors[key] = err
        out[key] = value
    return take


def clean_applicant(data: Mapping[str, Any], errors: dict[str, str], out: dict[str, Any]) -> None:
    """The applicant's identity and contact fields (Art. 29 (1); also a correction request's, Art. 41) into
    `out`, each bad field's message into `errors`."""
    take = _taker(data, errors, out)
    out["applicant_type"] = data.get("applicant_type") or "person"
    if out["applicant_type"] not in ("person", "org"):
        errors["applicant_type"] = "申请人类型应为公民或法人/其他组织"
    out["org_type"] = data.get("org_type") or None
    if out["applicant_type"] == "org" and out["org_type"] not in ORG_TYPES:
        errors["org_type"] = "请选择组织类型"
    if out["applicant_type"] == "person":
        out["org_type"] = None
    take("name", 120, label="申请人姓名或名称")
    take("contact_person", 60, required=out["applicant_type"] == "org", label="联系人")
    out["id_type"] = data.get("id_type") or ("resident_id" if out["applicant_type"] == "person" else "uscc")
    if out["id_type"] not in ID_TYPES:
        errors["id_type"] = "请选择证件类型"
    take("id_number", 40, label="证件号码")
    out["id_number"] = out["id_number"].upper().replace(" ", "")
    if out["id_type"] == "resident_id" and out["id_number"] and not valid_resident_id(out["id_number"]):
        errors["id_number"] = "身份证号码不正确（应为 18 位，末位校验码须正确）"
    if out["id_type"] == "uscc" and out["id_number"] and not valid_uscc(out["id_number"]):
        errors["id_number"] = "统一社会信用代码不正确（应为 18 位，末位校验码须正确）"
    take("phone", 20, label="联系电话")
    out["phone"] = re.sub(r"[\s]", "", out["phone"])
    if out["phone"] and not is_phone(out["phone"]):
        errors["phone"] = "请填写 11 位手机号，或带区号的固定电话（如 0515-88888888）"
    take("email", 254, required=False, label="电子邮箱")
    if out["email"] and not is_email(out["email"]):
        errors["email"] = "电子邮箱格式不正确"
    take("address", 200, required=False, label="通信地址")


def clean_application(data: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned application fields, or ValidationError listing every bad field."""
    errors, out = {}, {}
    clean_applicant(data, errors, out)
    take = _taker(data, errors, out)
    take("title", 200, label="所需信息的名称")
    take("description", 5000, label="所需信息的内容描述")
    take("doc_number", 100, required=False, label="文号")
    out["form"] = data.get("form") or "electronic"
    if out["form"] not in FORMS:
        errors["form"] = "请选择信息的载体形式"
    out["delivery"] = data.get("delivery") or "online"
    if out["delivery"] not in DELIVERIES:
        errors["delivery"] = "请选择获取方式"
    if out["delivery"] == "mail" and not out["address"] and "address" not in errors:
        errors["address"] = "选择邮寄时请填写通信地址"
    if out["delivery"] == "email" and not out["email"] and "email" not in errors:
        errors["email"] = "选择电子邮件时请填写电子邮箱"
    out["publish_consent"] = str(data.get("publish_consent", "")).lower() in ("1", "true", "y", "yes", "on")
    if errors:
        raise ValidationError("申请内容有误，请按提示修改：" + "；".join(errors.values()), fields=errors)
    return out
