"""The planted-data corpus (tests/public_log/corpus.py) driven through the real publication flow on
both databases: tickets carry the planted values in the caller's words and in the department's
reply, the replies enter review, a supervisor publishes them, and the public record and its page are
read back. Fails on any planted value that survives in any form, or any look-alike that does not;
prints the counts per category."""
import re
import unicodedata
from collections import Counter

import pytest

from core.departments.models import Department
from core.extensions import db
from hotline import handling, intake, reply
from public_log import review
from public_log.models import PublicRecord
from tests.conftest import at, make_user
from tests.public_log.corpus import CN, CN_CAPITAL, LOOK_ALIKES, corpus

SEPARATORS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\-—–‐‑−ー_./·•()\[\]【】~～:：,，、+]")
NUMERALS = {**{c: str(i) for i, c in enumerate(CN)}, **{c: str(i) for i, c in enumerate(CN_CAPITAL)},
            "零": "0", "幺": "1", "两": "2"}
RECORDED_NAME, RECORDED_PHONE = "王小明", "13912345678"
RECORDED_FORMS = ["王 小 明", "王·小明", "王小明", "王\u200b小明"]
CHUNK = 30  # planted sentences per text (a ticket's words or a reply)


def readable(text):
    """The public text as someone trying to read the data back would: NFKC, numerals as digits, no
    separators, upper case."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(NUMERALS.get(c) or (str(unicodedata.digit(c)) if c.isdigit() else c) for c in text)
    return SEPARATORS.sub("", text).upper()


@pytest.fixture
def published(seeded):
    from hotline.seed import seed_categories
    seed_categories()
    staff, sup = make_user("staff", "hbj@x.cn", department="sthjj"), make_user("supervisor", "sup@x.cn")
    planted = corpus()
    texts = []
    for i in range(0, len(planted), CHUNK):
        chunk = planted[i:i + CHUNK]
        extra = "，".join(LOOK_ALIKES) + "。" + "来电人" + RECORDED_FORMS[(i // CHUNK) % len(RECORDED_FORMS)] + "反映。"
        texts.append(("".join(p.sentence for p in chunk) + extra, chunk))
    records = []
    for n in range(0, len(texts), 2):
        (request_text, asked), (reply_text, answered) = texts[n], texts[n + 1] if n + 1 < len(texts) else ("已办理。", [])
        day = 16 + (n // 2) % 10
        t = intake.create_ticket({"type": "complaint", "category_code": "030101", "caller_phone": RECORDED_PHONE,
                                  "caller_name": RECORDED_NAME, "content": request_text, "address": "亭湖区解放路"},
                                 channel="phone", received_at=at(2026, 11, day, 9), now=at(2026, 11, day, 9), actor="op")
        intake.dispatch(t, Department.query.filter_by(code="sthjj").one(), now=at(2026, 11, day, 9, 5), actor="op")
        handling.sign(t, now=at(2026, 11, day, 9, 10), actor=staff)
        reply.reply(t, text=reply_text, now=at(2026, 11, day, 10), actor=staff)
        record = PublicRecord.query.filter_by(kind="hotline", source_id=t.id).one()
        review.approve_publication(record, now=at(2026, 11, day, 11), actor=sup, confirmed=True)
        records.append((record.id, asked + answered))
    return records, planted


def test_no_planted_value_survives_and_every_look_alike_does(client, published):
    records, planted = published
    assert len(planted) >= 300 and len({p.category for p in planted}) >= 11
    # the check can fail: every core is readable in the text as planted
    assert all(readable(p.core) in readable(p.sentence) for p in planted)
    planted_count, leaked = Counter(p.category for p in planted), []
    survived = Counter()
    for record_id, values in records:
        record = db.session.get(PublicRecord, record_id)
        public = record.title + "\n" + record.request_text + "\n" + record.reply_text
        page = client.get(f"/log/{record.public_id}").get_data(as_text=True)
        assert record.reply_text[:20] in page or record.reply_text[:20].replace("&", "&amp;") in page
        for output in (public, page):
            seen = readable(output)
            for p in values:
                if readable(p.core) in seen:
                    leaked.append((p.category, p.form, p.sentence))
            if readable(RECORDED_NAME) in seen or RECORDED_PHONE in seen:
                leaked.append(("姓名（登记）", "loose", RECORDED_NAME))
        for look_alike in LOOK_ALIKES:
            if look_alike in record.request_text:
                survived[look_alike] += 1
    print("\nplanted per category:", dict(sorted(planted_count.items())))
    print("leaked:", len(leaked), "look-alikes kept:", sum(survived.values()), "of", len(LOOK_ALIKES) * len(records))
    assert leaked == []
    assert all(survived[look_alike] == len(records) for look_alike in LOOK_ALIKES), \
        {a: survived[a] for a in LOOK_ALIKES if survived[a] != len(records)}
