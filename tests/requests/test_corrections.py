"""Correction requests (更正申请), 《政府信息公开条例》Art. 41: evidence is required (有证据证明), the organ decides
(corrected / forwarded / referred / refused as not proven or not the applicant's own), the applicant is told and
gets a written reply whose remedy paragraph keeps the choice (行政复议法 2023 Art. 23 para. 1 (4) is about
不予公开 only); the Art. 33 20 working days serve as a configurable internal target."""
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from core.clocks.models import Clock
from core.errors import DomainError, ValidationError
from core.notifications.models import Notification
from core.workflow import TransitionError
from requests_module import corrections
from requests_module.correction_letter import letter_text, render_pdf
from requests_module.correction_models import ENTITY
from requests_module.models import DisclosureRequest
from tests.conftest import at, make_user
from tests.requests.correction_helpers import CORRECTION, PDF, dep, registered

CHOICE = "如对本答复不服，可以自收到本答复之日起六十日内向盐城市亭湖区人民政府申请行政复议，或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"


def _clock(cr):
    return Clock.query.filter_by(entity_kind=ENTITY, entity_id=str(cr.id), name="answer").one()


def test_online_request_needs_evidence_checked_by_content(seeded):
    """Art. 41: 有证据证明 — no file, or a file that is not PDF/JPG/PNG by content, refuses the whole request."""
    citizen = make_user("citizen", "13800002222")
    now = at(2026, 11, 2, 10)
    with pytest.raises(ValidationError) as none:
        corrections.submit_online(CORRECTION, department=dep(), now=now, citizen=citizen, files=[])
    assert none.value.field == "evidence" and "证据" in none.value.message
    with pytest.raises(ValidationError) as fake:
        corrections.submit_online(CORRECTION, department=dep(), now=now, citizen=citizen,
                                  files=[("证据.pdf", b"MZ not a pdf")])
    assert "不是 PDF、JPG、PNG" in fake.value.message
    cr = corrections.submit_online(CORRECTION, department=dep(), now=now, citizen=citizen,
                                   files=[("户口簿.pdf", PDF)])
    assert cr.number == f"GZ-2026-{cr.id:06d}" and cr.received_on == date(2026, 11, 2)
    assert [e.filename for e in cr.evidence] == ["户口簿.pdf"] and cr.citizen_id == citizen.id
    assert DisclosureRequest.query.count() == 0  # its own kind: nothing in the disclosure tables or annual report


def test_fields_of_the_record_are_required_and_named(seeded):
    """Art. 41: which record, which organ provided it, when, what it should say — each missing field named."""
    with pytest.raises(ValidationError) as err:
        registered(date(2026, 11, 2), record_title="", provided_by=" ", requested_text="", provided_on="2026-11-05")
    assert set(err.value.fields) == {"record_title", "provided_by", "requested_text", "provided_on"}
    with pytest.raises(ValidationError) as bad_year:
        registered(date(2026, 11, 2), provided_on="0001-01-01")
    assert "provided_on" in bad_year.value.fields


def test_internal_target_is_20_working_days_and_configurable(app, seeded):
    """No period in Art. 41: Art. 33 (2)'s 20 working days by analogy, from the day after receipt."""
    cr = registered(date(2026, 11, 2))
    assert _clock(cr).due_on == date(2026, 11, 30)
    app.config["CORRECTION_REQUEST_TARGET_WORKDAYS"] = 10
    try:
        assert _clock(registered(date(2026, 11, 2))).due_on == date(2026, 11, 16)
    finally:
        app.config["CORRECTION_REQUEST_TARGET_WORKDAYS"] = 20


def test_corrected_closes_stops_the_clock_and_tells_the_applicant(seeded):
    """Art. 41: 审核属实的，应当予以更正并告知申请人 — what was changed is recorded and in the letter."""
    staff = make_user("staff", "s@x.cn", department="mzj")
    cr = registered(date(2026, 11, 2))
    corrections.decide_correction(cr, decision="corrected", text="家庭人口由2人更正为3人。", on=date(2026, 11, 10),
                       now=at(2026, 11, 10, 15), actor=staff)
    assert cr.status == "closed" and cr.decided_on == date(2026, 11, 10) and cr.decided_by_id == staff.id
    assert cr.letter_number == "亭民政更正复〔2026〕1号"  # 民政局's first of the year (numbering.py)
    assert _clock(cr).state == "stopped"
    sms = Notification.query.filter_by(entity_kind=ENTITY, entity_id=str(cr.id), channel="sms").one()
    assert sms.address == "13800002222" and "更正申请" in sms.body and cr.number in sms.body
    organ, paras = letter_text(cr)
    assert organ == "盐城市亭湖区民政局"
    assert any("予以更正" in p for p in paras) and "更正情况：家庭人口由2人更正为3人。" in paras
    assert paras[-1] == CHOICE


@pytest.mark.parametrize("decision,organ,expected", [
    ("forwarded", "盐城市亭湖区公安分局", "已将您的更正申请转送有权更正的盐城市亭湖区公安分局处理"),
    ("referred", "盐城市亭湖区公安分局", "请您向有权更正的盐城市亭湖区公安分局提出更正申请"),
    ("not_proven", None, "您提交的证据不能证明该信息记录不准确"),
    ("not_own", None, "该信息记录与您自身无关"),
])
def test_every_decision_reads_as_art_41_says_and_keeps_the_choice_of_remedy(seeded, decision, organ, expected):
    """Art. 41 (转送 / 告知向有权机关提出 / not proven / not about the applicant); a refusal to correct is not
    不予公开, so 行政复议法 Art. 23 para. 1 (4) does not make reconsideration first: the letter keeps the choice."""
    cr = registered(date(2026, 11, 2))
    corrections.decide_correction(cr, decision=decision, text="户籍信息由公安机关登记。" if organ else "证据为复印件且无法核实。",
                       organ=organ, on=date(2026, 11, 4), now=at(2026, 11, 4, 9), actor="test")
    assert cr.target_organ == organ
    pdf = render_pdf(cr)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for part in ("更正政府信息记录申请答复书", cr.letter_number, "李四", expected, "第四十一条", "2026年11月4日",
                 "行政复议", "六个月内"):
        assert part in text, part
    assert "应当先" not in text and "应当自收到本答复之日起六十日内" not in text


def test_each_decision_needs_its_own_field(seeded):
    """Art. 41: forwarding or referring names the organ that may correct; a correction says what changed; a
    refusal gives its reasons."""
    cr = registered(date(2026, 11, 2))
    cases = [("forwarded", "", None, "organ"), ("referred", "理由", "  ", "organ"), ("corrected", "", None, "text"),
             ("not_proven", "", None, "text"), ("not_own", " ", None, "text"), ("approve", "x", None, "decision")]
    for decision, text, organ, field in cases:
        with pytest.raises(ValidationError) as err:
            corrections.decide_correction(cr, decision=decision, text=text, organ=organ, on=date(2026, 11, 4),
                               now=at(2026, 11, 4, 9), actor="test")
        assert err.value.field == field, decision
    assert cr.status == "received"


def test_decided_once_and_dated_by_the_action_time_rule(seeded):
    """A decided request cannot be decided again (409); the reply date is neither before receipt nor in the
    future (core/action_time.py)."""
    cr = registered(date(2026, 11, 2))
    for on in (date(2026, 10, 30), date(2026, 11, 5)):
        with pytest.raises(ValidationError):
            corrections.decide_correction(cr, decision="not_proven", text="证据不足", on=on, now=at(2026, 11, 4, 9), actor="t")
    corrections.decide_correction(cr, decision="not_proven", text="证据不足", on=date(2026, 11, 4), now=at(2026, 11, 4, 9),
                       actor="t")
    with pytest.raises(TransitionError) as again:
        corrections.decide_correction(cr, decision="corrected", text="改", on=date(2026, 11, 4), now=at(2026, 11, 4, 10),
                           actor="t")
    assert isinstance(again.value, DomainError) and again.value.status == 409 and "已答复" in again.value.message


def test_paper_registration_checks_channel_and_receipt_date(seeded):
    """Art. 31 by analogy: staff record the receipt date of a paper request; not in the future."""
    with pytest.raises(ValidationError) as channel:
        corrections.register_paper(CORRECTION, department=dep(), channel="online", received_on=date(2026, 11, 2),
                                   now=at(2026, 11, 2, 10), actor="t", files=[("a.pdf", PDF)])
    assert channel.value.field == "channel"
    with pytest.raises(ValidationError):
        corrections.register_paper(CORRECTION, department=dep(), channel="mail", received_on=date(2026, 11, 3),
                                   now=at(2026, 11, 2, 10), actor="t", files=[("a.pdf", PDF)])
    with pytest.raises(ValidationError) as no_dep:
        corrections.register_paper(CORRECTION, department=None, channel="mail", received_on=date(2026, 11, 2),
                                   now=at(2026, 11, 2, 10), actor="t", files=[("a.pdf", PDF)])
    assert set(no_dep.value.fields) == {"department"}
