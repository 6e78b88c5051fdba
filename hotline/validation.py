"""Checks of a ticket's fields, each bad field named in Chinese."""
import re
from collections.abc import Mapping
from typing import Any

from core.errors import ValidationError
from core.extensions import db
from core.formats import is_phone
from hotline.models import Category
from hotline.sla import TYPES, URGENCIES


def clean_ticket(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}  # the cleaned fields: text, flags, None and coordinates
    out["type"] = data.get("type") or ""
    if out["type"] not in TYPES:
        errors["type"] = "请选择诉求类型（咨询、求助、投诉、举报、建议、表扬）"
    out["category_code"] = (data.get("category_code") or data.get("category") or "").strip()
    category = db.session.get(Category, out["category_code"]) if out["category_code"] else None
    if category is None or not category.active:
        errors["category_code"] = "请选择有效的事项分类"
    out["category"] = category  # the row itself: the new ticket's relation is set without a second read
    out["urgency"] = data.get("urgency") or "normal"
    if out["urgency"] not in URGENCIES:
        errors["urgency"] = "紧急程度应为一般或紧急"
    out["anonymous"] = str(data.get("anonymous", "")).lower() in ("1", "true", "y", "yes", "on")
    out["confidential"] = str(data.get("confidential", "")).lower() in ("1", "true", "y", "yes", "on")
    phone = re.sub(r"[\s]", "", data.get("caller_phone") or "")
    if phone and not is_phone(phone):
        errors["caller_phone"] = "来电号码应为 11 位手机号或带区号的固定电话"
    out["caller_phone"] = phone or None
    name = (data.get("caller_name") or "").strip()
    if len(name) > 60:
        errors["caller_name"] = "姓名最多 60 字"
    # An anonymous caller's name is kept, hidden from departments (hotline.queries.caller_for), so that
    # masking still finds it wherever the caller wrote it (issue 13).
    out["caller_name"] = name or None
    content = (data.get("content") or "").strip()
    if not content:
        errors["content"] = "请填写诉求内容"
    elif len(content) > 5000:
        errors["content"] = "诉求内容最多 5000 字"
    out["content"] = content
    out["summary"] = (data.get("summary") or "").strip()[:2000]
    out["address"] = (data.get("address") or "").strip()[:200]
    for key, low, high in (("lat", -90, 90), ("lng", -180, 180)):
        value = data.get(key)
        if value in (None, ""):
            out[key] = None
            continue
        try:
            out[key] = float(value)
            if not low <= out[key] <= high:
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = "经纬度格式不正确"
    if errors:
        raise ValidationError("工单内容有误：" + "；".join(errors.values()), fields=errors)
    return out
