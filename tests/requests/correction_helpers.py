"""Building correction requests (条例 Art. 41) for tests."""
from core.departments.models import Department
from requests_module import corrections
from tests.conftest import at

PDF = b"%PDF-1.4 evidence: the household register shows three members"
CORRECTION = {
    "applicant_type": "person", "name": "李四", "id_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13800002222", "email": "", "address": "亭湖区某路2号",
    "record_title": "2025年度低保对象名单中本人家庭人口数", "provided_by": "盐城市亭湖区民政局",
    "provided_on": "2026-10-15", "inaccuracy": "名单记载本人家庭人口为2人。", "requested_text": "本人家庭人口为3人。",
}


def dep(code="mzj"):
    return Department.query.filter_by(code=code).one()


def registered(day, *, department="mzj", actor="test", **changes):
    """A correction request registered on paper with receipt date `day`, with one PDF of evidence."""
    return corrections.register_paper({**CORRECTION, **changes}, department=dep(department), channel="in_person",
                                      received_on=day, now=at(day.year, day.month, day.day, 10), actor=actor,
                                      files=[("户口簿.pdf", PDF)])
