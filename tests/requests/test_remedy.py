"""The remedy paragraph of the reply letter (issue 15 item 1): 行政复议法 (2023) Art. 23 para. 1 (4) — against
不予公开 (and the withheld part of 部分公开) reconsideration first; otherwise the choice (Art. 20; 行政诉讼法
Art. 46); the reconsideration body of the issuing organ (Art. 24, 27), never the organ itself."""
import pytest

from core.departments.models import Department
from core.departments.service import update_department
from core.errors import ValidationError
from requests_module import intake, outcomes, reply
from requests_module.letter import letter_text
from requests_module.remedy import RemedyError, remedy_text
from tests.conftest import csrf_from, make_user
from tests.requests.helpers import APPLICATION, DISCLOSED, MZJ_FORM, admin_on_the_mzj_form, date, noon, received

FIRST = "应当自收到本答复之日起六十日内向{}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
CHOICE = "可以自收到本答复之日起六十日内向{}申请行政复议，或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
WITHHELD = [code for code, o in outcomes.OUTCOMES.items() if o.group == "不予公开"]


def test_every_refusal_to_disclose_must_go_to_reconsideration_first():
    assert len(WITHHELD) == 8  # Art. 14, 15, 16 grounds: all of them
    for code in WITHHELD:
        text = remedy_text(code, "盐城市亭湖区民政局", "盐城市亭湖区人民政府")
        assert text == "如对本答复不服，" + FIRST.format("盐城市亭湖区人民政府"), code
        assert "六个月内" not in text


def test_partial_disclosure_names_both_paths():
    text = remedy_text("partly_disclosed", "盐城市亭湖区民政局", "盐城市亭湖区人民政府")
    assert text.startswith("如对本答复中不予公开的部分不服，" + FIRST.format("盐城市亭湖区人民政府"))
    assert text.endswith("对本答复的其他内容不服的，" + CHOICE.format("盐城市亭湖区人民政府"))


@pytest.mark.parametrize("code", ["disclosed", "unavailable_not_held", "unavailable_needs_creation",
                                  "not_processed_petition", "not_processed_repeat", "other_no_correction"])
def test_other_outcomes_keep_the_choice(code):
    assert remedy_text(code, "盐城市亭湖区民政局", "盐城市亭湖区人民政府") == "如对本答复不服，" + CHOICE.format(
        "盐城市亭湖区人民政府")


def test_an_organ_never_decides_its_own_reconsideration():
    with pytest.raises(RemedyError):
        remedy_text("disclosed", "盐城市亭湖区人民政府", "盐城市亭湖区人民政府")


def test_the_letter_names_the_body_of_the_issuing_organ(seeded):
    """A department's reply: the district government; a reply 区政府办 makes (always in the government's name,
    remedy.receiving_department): the city;
    a reply made at intake with no department (公开办 for the district government): the city too. The
    issuing organ is the receiving organ (条例 Art. 27): here each application was registered at the
    window of the organ that answers it."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    req = received(date(2026, 11, 2), actor=staff)
    reply.reply(req, outcome="withheld_process", text="属于过程性信息。", legal_ground="《政府信息公开条例》第十六条第二款",
                on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=staff)
    organ, paras = letter_text(req)
    assert organ == "盐城市亭湖区民政局" and paras[-1] == "如对本答复不服，" + FIRST.format("盐城市亭湖区人民政府")

    office = make_user("staff", "z@x.cn", department="zfb")
    req = received(date(2026, 11, 2), dep="zfb", actor=office)
    reply.reply(req, outcome="disclosed", **DISCLOSED, text="予以公开。", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)),
                actor=office)
    organ, paras = letter_text(req)
    # 区政府办 receives for the government: the letter is the government's (a letter in the office's own name
    # would go to the district government, 行政复议法 Art. 24 (1) 1 — so none is issued in its name)
    assert organ == "盐城市亭湖区人民政府" and paras[-1].endswith(CHOICE.format("盐城市人民政府"))

    req = intake.register_paper(APPLICATION, channel="mail", received_on=date(2026, 11, 2),
                                now=noon(date(2026, 11, 2)), actor="公开办")
    intake.reject(req, outcome="not_processed_petition", message="属于信访事项，请向信访部门反映。",
                  on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor="公开办")
    organ, paras = letter_text(req)
    assert organ == "盐城市亭湖区人民政府" and "向盐城市人民政府申请行政复议" in paras[-1]


def test_admins_set_the_body_but_never_the_organ_itself(app, seeded, now):
    dep = Department.query.filter_by(code="qxj").one()
    assert dep.reconsideration_body == "盐城市气象局"  # vertically led: the next organ up (Art. 27)
    with pytest.raises(ValidationError, match="不能是本机关自己"):
        update_department(dep, {"reconsideration_body": dep.full_name}, now=now, actor="admin")
    client, page = admin_on_the_mzj_form(app)
    assert 'name="reconsideration_body"' in page and "盐城市亭湖区人民政府" in page
    form = {"csrf_token": csrf_from(page), **MZJ_FORM, "reconsideration_body": "盐城市亭湖区民政局"}
    r = client.post("/admin/departments/mzj/edit", data=form)
    assert r.status_code in (200, 400) and "不能是本机关自己" in r.get_data(as_text=True)
    assert Department.query.filter_by(code="mzj").one().reconsideration_body == "盐城市亭湖区人民政府"
