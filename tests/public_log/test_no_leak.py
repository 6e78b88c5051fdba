"""No unmasked personal datum reaches the public: plant names, phones and IDs in a disclosure
application and a hotline ticket, take both through reply, review and publication, then grep every
public output (pages, search results, JSON, feeds, Open311) and the search index."""
from datetime import date

import pytest
import sqlalchemy as sa

from core.departments.models import Department
from core.extensions import db
from hotline import handling, intake as hotline_intake
from hotline.seed import seed_categories
from public_log import review
from public_log.models import PublicRecord
from requests_module import reply as request_reply
from tests.conftest import at, make_user
from tests.requests.helpers import noon, received

NAME_A, PHONE_A, ID_A = "欧阳明月", "13800001111", "11010519491231002X"
NAME_B, PHONE_B = "司马青山", "13911112222"
LANDLINE, CARD, EMAIL = "0515-88881234", "6222020200112233446", "ouyang@example.com"
SECRETS = [NAME_A, PHONE_A, ID_A, NAME_B, PHONE_B, "88881234", CARD, EMAIL, "解放路18号"]


@pytest.fixture
def published(seeded):
    seed_categories()
    staff = make_user("staff", "s@x.cn", department="mzj")
    sup = make_user("supervisor", "sup@x.cn")
    req = received(date(2026, 9, 28), name=NAME_A, phone=PHONE_A, id_number=ID_A,
                   title=f"{NAME_A}申请公开低保名单",
                   description=f"本人{NAME_A}，身份证{ID_A}，手机 138 0000 1111（或１３８００００１１１１），"
                               f"座机{LANDLINE}，邮箱{EMAIL}，住解放路18号，申请公开2025年低保名单。")
    request_reply.reply(req, outcome="disclosed", text=f"{NAME_A}您好：名单已通过{EMAIL}发送，银行卡{CARD}不在名单内。"
                        f"如有疑问请拨打{PHONE_A[:3]}-{PHONE_A[3:7]}-{PHONE_A[7:]}。",
                        on=date(2026, 10, 9), now=noon(date(2026, 10, 9)), actor=staff)
    t = hotline_intake.create_ticket({"type": "complaint", "category_code": "020201", "caller_name": NAME_B,
                                      "caller_phone": PHONE_B, "content": f"{NAME_B}反映低保发放延迟，回电{PHONE_B}"},
                                     channel="phone", received_at=at(2026, 11, 16, 9), now=at(2026, 11, 16, 9),
                                     actor="op")
    hotline_intake.dispatch(t, Department.query.filter_by(code="mzj").one(), now=at(2026, 11, 16, 9, 5), actor="op")
    handling.sign(t, now=at(2026, 11, 16, 9, 10), actor=staff)
    handling.reply(t, text=f"{NAME_B}先生：低保已于本周发放，{NAME_B[0]}先生可拨打{PHONE_B}核实。",
                   now=at(2026, 11, 16, 10), actor=staff)
    records = PublicRecord.query.order_by(PublicRecord.id).all()
    assert len(records) == 2
    for record in records:
        review.approve(record, now=at(2026, 11, 19, 9), actor=sup, confirmed=True)
    return records, t


def test_planted_personal_data_reaches_no_public_output(client, published):
    records, ticket = published
    # (searching for a planted datum echoes the visitor's own query, so those are checked by count below)
    urls = ["/log/", "/log/?q=低保", "/log/?q=低保 发放", "/log/feed.atom",
            "/log/departments/mzj/feed.atom", "/api/v1/log", "/api/v1/log?q=低保",
            f"/open311/v2/requests/{ticket.number}.json", f"/open311/v2/requests/{ticket.number}.xml"]
    for r in records:
        urls += [f"/log/{r.public_id}", f"/api/v1/log/{r.public_id}"]
    outputs = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        outputs[url] = resp.get_data(as_text=True)
    assert "低保已于本周发放" in outputs[f"/open311/v2/requests/{ticket.number}.json"]  # status_notes: the reply
    for url, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked in {url}"
    for name in (NAME_A, NAME_B):
        assert client.get(f"/api/v1/log?q={name}").get_json()["total"] == 0
    for phone in (PHONE_A, PHONE_B, ID_A):
        assert client.get(f"/api/v1/log?q={phone}").get_json()["total"] == 0


def test_search_index_holds_masked_text_only(published):
    columns = "title_tokens || ' ' || request_tokens || ' ' || reply_tokens || ' ' || body"
    if db.engine.dialect.name == "postgresql":
        columns += " || ' ' || tsv::text"
    rows = db.session.execute(sa.text(f"SELECT {columns} FROM public_search_docs")).scalars().all()
    assert len(rows) == 2
    index = "\n".join(rows)
    for secret in SECRETS + [NAME_A[:2], NAME_B[:2], "00001111", "11112222"]:
        assert secret not in index, secret
    if db.engine.dialect.name == "sqlite":
        # the FTS5 vocabulary itself
        db.session.execute(sa.text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.leak_vocab "
                                   "USING fts5vocab(main, public_search_fts, 'row')"))
        terms = set(db.session.execute(sa.text("SELECT term FROM temp.leak_vocab")).scalars())
        assert terms and not terms & {NAME_A, NAME_B, PHONE_A, PHONE_B, "欧阳", "司马", "00001111", "11112222"}
        assert "低保" in terms
