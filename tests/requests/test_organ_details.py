"""Issue 15 (H3): the letter answers in the words of the law (条例 Art. 36 (1)–(7)); the 补正告知书 carries the
指导和释明 of Art. 30; the 收费通知书 says how to pay (Art. 42; 国办函〔2020〕109号) and is refused without a
payment channel; the seeded organs follow the 2019 reform, 区委办 answers no application (Art. 2, 36), and
a 派出机构 or the 司法局 has two reconsideration bodies (行政复议法 2023 Art. 24 para. 4, Art. 28)."""
import pytest

from core.departments import service as dep_service
from core.departments.models import Department
from core.errors import ValidationError
from core.extensions import db
from core.workflow import TransitionError
from requests_module import documents, handling, intake, outcomes
from requests_module.letter import compose
from requests_module.notices import document_text
from requests_module.remedy import RemedyError, remedy_text
from tests.conftest import set_payment_channels
from tests.requests.helpers import GUIDANCE, date, noon, received


def _letter(req, outcome, **kw):
    return "".join(compose(req, outcome=outcome, text="", **kw).paragraphs)


@pytest.mark.parametrize("code, words", [
    ("disclosed", "条例第三十六条第（一）项、第（二）项"),               # Art. 36 (1), (2)
    ("withheld_law", "告知您不予公开并说明理由（条例第三十六条第（三）项）"),  # Art. 36 (3)
    ("unavailable_not_held", "告知您该政府信息不存在（条例第三十六条第（四）项）"),  # Art. 36 (4)
    ("not_processed_repeat", "不予重复处理（条例第三十六条第（六）项）"),        # Art. 36 (6)
    ("withheld_inquiry", "依照有关法律、行政法规的规定办理（条例第三十六条第（七）项）"),  # Art. 36 (7)
    ("partly_disclosed", "条例第三十七条"), ("unavailable_needs_creation", "条例第三十八条"),
    ("not_processed_petition", "条例第三十九条第一款"), ("other_no_correction", "视为放弃申请"),
])
def test_the_letter_answers_each_outcome_in_the_words_of_the_law(seeded, code, words):
    req = received(date(2026, 11, 2))
    text = _letter(req, code)
    assert words in text and "答复结果：" not in text


def test_every_outcome_has_a_sentence_with_its_source():
    assert set(outcomes.ANSWERS) == set(outcomes.OUTCOMES)
    assert all(basis and "{you}" in s or "本机关" in s for basis, s in outcomes.ANSWERS.values())
    # no article names it: the legal ground must be typed (an annual-report format is no legal basis)
    sourceless = {code for code, (basis, _) in outcomes.ANSWERS.items() if not basis}
    assert sourceless == {"not_processed_confirmation", "other"}
    assert all(outcomes.get(code).needs_ground for code in sourceless)
    assert not any("国办公开办函" in s for _, s in outcomes.ANSWERS.values())


@pytest.mark.parametrize("code", ["not_processed_confirmation", "other"])
def test_an_outcome_no_article_names_needs_a_typed_legal_ground(seeded, code):
    from core.errors import ValidationError as Invalid
    from requests_module import reply
    from tests.conftest import make_user
    staff = make_user("staff", "s.ground@x.cn", department="mzj")
    req = received(date(2026, 11, 2), actor=staff)
    with pytest.raises(Invalid, match="须写明法律依据") as err:
        reply.reply(req, outcome=code, text="经审查。", on=date(2026, 11, 3), now=noon(date(2026, 11, 3)), actor=staff)
    assert err.value.field == "legal_ground"
    for narrative in ("无", "。", "申请人撤回了申请"):  # Art. 36: a legal basis names an article
        with pytest.raises(Invalid, match="应写明所依据的法律、法规的条款"):
            reply.reply(req, outcome=code, legal_ground=narrative, text="经审查。", on=date(2026, 11, 3),
                        now=noon(date(2026, 11, 3)), actor=staff)
    text = _letter(req, code, legal_ground="《中华人民共和国政府信息公开条例》第三十八条")
    assert "依据：《中华人民共和国政府信息公开条例》第三十八条。" in text


def test_an_art36_7_answer_says_it_withholds_as_the_remedy_paragraph_does(seeded):
    """条例 Art. 36 (7) is counted as 不予公开 (属于行政查询事项) and its remedy is reconsideration first (行政复议法
    Art. 23 (1) (4)): the letter must say it withholds, or the remedy paragraph contradicts it."""
    text = _letter(received(date(2026, 11, 2)), "withheld_inquiry", legal_ground="《不动产登记暂行条例》第二十七条")
    assert "对该申请不予公开" in text and "应当自收到本答复之日起六十日内" in text


def test_not_this_organs_information_names_the_organ_and_its_contacts(seeded):
    """Art. 36 (5): 告知申请人并说明理由; the responsible organ's name and contact details."""
    req = received(date(2026, 11, 2))
    text = _letter(req, "unavailable_not_held", holder_organ="盐城市民政局", holder_contact="0515-88888888")
    assert "所申请公开信息不属于本机关负责公开。理由是" in text
    assert "负责公开该政府信息的行政机关为盐城市民政局，联系方式：0515-88888888" in text
    assert "该政府信息不存在" not in text


def test_correction_notice_requires_and_prints_guidance(seeded):
    """Art. 30: 给予指导和释明 … 说明需要补正的事项和合理的补正期限; 逾期未补正的视为放弃申请."""
    req = received(date(2026, 9, 28))
    with pytest.raises(ValidationError, match="指导和释明"):
        handling.send_correction_notice(req, items="请写明文件名称", guidance=" ", on=date(2026, 10, 8),
                                        now=noon(date(2026, 10, 8)), actor="t")
    handling.send_correction_notice(req, items="请写明文件名称", guidance=GUIDANCE, on=date(2026, 10, 8),
                                    now=noon(date(2026, 10, 8)), actor="t")
    _, _, paras = document_text(req, documents.latest(req, "correction_notice"))
    text = "".join(paras)
    assert "请写明文件名称。" in text and f"指导和释明：{GUIDANCE}。" in text
    assert "个工作日内补正" in text and "视为放弃申请" in text


def test_correction_notice_api_requires_guidance(api_as):
    staff = api_as("staff", "mzj")
    req = received(date(2026, 10, 8), actor=None)
    r = staff.post(f"/disclosure-requests/{req.id}/correction-notice", {"items": "请写明年份", "on": "2026-10-08"},
                   now=noon(date(2026, 10, 8)))
    assert r.status_code in (400, 422) and "guidance" in r.get_json()["fields"]


def test_fee_notice_prints_the_payment_channel_of_the_issuing_organ(seeded):
    """条例 Art. 42, 国办函〔2020〕109号: the notice says how to pay; the district government's is 区政府办's."""
    set_payment_channels(fee_payee="盐城市亭湖区人民政府办公室", fee_bank="某银行亭湖支行", fee_account="3200 1234 5678",
                         fee_payment_note="也可到区政务服务中心窗口缴纳")
    req = received(date(2026, 11, 2))  # received by the system: the district government answers
    handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)), actor="t")
    _, _, paras = document_text(req, documents.latest(req, "fee_notice"))
    text = "".join(paras)
    assert "收款单位：盐城市亭湖区人民政府办公室；开户行：某银行亭湖支行；账号：3200 1234 5678。" in text
    assert "缴费方式：也可到区政务服务中心窗口缴纳。" in text


def test_fee_notice_without_payment_channel_is_refused(seeded):
    set_payment_channels(fee_payee="", fee_bank="", fee_account="", fee_payment_note="")
    req = received(date(2026, 11, 2))
    with pytest.raises(TransitionError, match="尚未设置信息处理费的缴费方式.*系统管理员"):
        handling.fee_notice(req, method="pages", quantity=43, on=date(2026, 11, 4), now=noon(date(2026, 11, 4)),
                            actor="t")
    assert req.status == "assigned" and req.fee_notice_on is None


def test_payment_fields_are_validated(seeded, now):
    dep = Department.query.filter_by(code="mzj").one()
    with pytest.raises(ValidationError, match="一并填写"):
        dep_service.update_department(dep, {"fee_payee": "某单位", "fee_bank": "", "fee_account": ""}, now=now, actor="t")
    with pytest.raises(ValidationError, match="账号"):
        dep_service.update_department(dep, {"fee_payee": "某单位", "fee_bank": "某行", "fee_account": "12<script>"},
                                      now=now, actor="t")


@pytest.mark.parametrize("code, full_name", [("qwb", "中共盐城市亭湖区委办公室"),
                                             ("bb", "中共盐城市亭湖区委机构编制委员会办公室")])
def test_party_organ_answers_no_application(seeded, now, code, full_name):
    """条例 Art. 2, 36: 区委办 and 区编办 (a 党委工作机关 since the 2018-19 reform) are not administrative organs; the
    hotline may still route to them."""
    party = Department.query.filter_by(code=code).one()
    assert party.discloses is False and party.active and party.full_name == full_name
    assert party not in dep_service.disclosing_departments() and party in dep_service.active_departments()
    req = received(date(2026, 11, 2), dep=None)
    with pytest.raises(ValidationError, match="不是行政机关"):
        intake.assign(req, party, now=noon(date(2026, 11, 2)), actor="t")


def test_abolished_organs_are_replaced_and_retired_on_an_existing_database(seeded, now):
    codes = {d.code for d in Department.query}
    assert not codes & {"wjj", "fzb", "wjw", "hbj", "jxw", "fpb"}
    assert {"sfj", "wsjkw", "sthjj", "gxj", "nyncj"} <= codes
    fgw = Department.query.filter_by(code="fgw").one()
    assert any("价格" in t["keywords"] for t in fgw.topics)
    # an existing database still has 环保局 from before the reform
    db.session.delete(Department.query.filter_by(code="sthjj").one())
    old = Department(code="hbj", name="环保局", full_name="盐城市亭湖区环境保护局", kind="organ",
                     topics=[{"topic": "环境保护信息公开（三.5）", "keywords": ["环保"], "lead": True}])
    db.session.add(old)
    db.session.commit()
    dep_service.seed_departments(now)
    old = Department.query.filter_by(code="hbj").one()
    new = Department.query.filter_by(code="sthjj").one()
    assert old.active is False and new.active and new.full_name == "盐城市亭湖生态环境局"
    assert any(t["topic"] == "环境保护信息公开（三.5）" for t in new.topics)
    dep_service.seed_departments(now)  # idempotent
    assert Department.query.filter_by(code="hbj").one().active is False


def test_hotline_categories_of_a_retired_organ_follow_its_successor(seeded, now):
    """On a database from before the reform the 12345 categories still route to 环保局: once the department
    seed retired it, the category seed routes them to 生态环境局; an admin's own routing elsewhere is kept."""
    from hotline.models import Category
    from hotline.seed import seed_categories
    seed_categories()
    new = Department.query.filter_by(code="sthjj").one()
    old = Department(code="hbj", name="环保局", full_name="盐城市亭湖区环境保护局", kind="organ", topics=[])
    db.session.add(old)
    db.session.flush()
    noise, smoke = (Category.query.filter_by(code=c).one() for c in ("030101", "030102"))
    mzj = Department.query.filter_by(code="mzj").one()
    noise.department_id, smoke.department_id = old.id, mzj.id  # the old seed; an admin's choice
    db.session.commit()
    seed_categories()  # 环保局 still active: nothing moves
    assert noise.department_id == old.id
    dep_service.seed_departments(now)
    seed_categories()
    db.session.refresh(noise), db.session.refresh(smoke)
    assert noise.department_id == new.id and smoke.department_id == mzj.id


@pytest.mark.parametrize("code, bodies", [
    ("sfj", "盐城市亭湖区人民政府或者盐城市司法局"),  # 行政复议法 Art. 28
    ("gafj", "盐城市人民政府或者盐城市亭湖区人民政府"),  # Art. 24 para. 4
    ("sthjj", "盐城市人民政府或者盐城市亭湖区人民政府"),  # Art. 24 para. 4
])
def test_two_reconsideration_bodies_are_printed_as_a_choice(seeded, code, bodies):
    dep = Department.query.filter_by(code=code).one()
    assert f"向{bodies}申请行政复议" in remedy_text("disclosed", dep.full_name, dep.reconsideration_bodies)


def test_neither_body_may_be_the_organ_itself(seeded, now):
    dep = Department.query.filter_by(code="sfj").one()
    with pytest.raises(RemedyError):
        remedy_text("disclosed", dep.full_name, (dep.reconsideration_body, dep.full_name))
    with pytest.raises(ValidationError, match="不能是本机关自己"):
        dep_service.update_department(dep, {"reconsideration_body_alt": dep.full_name}, now=now, actor="t")


def test_staff_of_an_organ_no_longer_in_use_register_nothing_in_its_name(app, seeded, api_as):
    """An organ deactivated (abolished in a reform) receives no application: its staff's registration is refused on
    the page and through the API, so no letter goes out in its name."""
    from tests.conftest import make_user
    from tests.requests.helpers import APPLICATION
    gzb = Department.query.filter_by(code="gzb").one()
    gzb.active = False
    db.session.commit()
    staff = make_user("staff", "gzb.window@x.cn", department="gzb")
    with pytest.raises(ValidationError, match="已停用"):
        intake.register_paper(APPLICATION, channel="in_person", received_on=date(2026, 11, 2),
                              now=noon(date(2026, 11, 2)), actor=staff)
    r = api_as("staff", "gzb", login="gzb.api@x.cn").post(
        "/disclosure-requests", {**APPLICATION, "publish_consent": True, "received_on": "2026-11-02", "channel": "in_person"},
        now=noon(date(2026, 11, 2)))
    assert r.status_code == 400 and "已停用" in r.get_json()["message"]
    from requests_module.models import DisclosureRequest
    assert DisclosureRequest.query.count() == 0
