"""A lone UTF-16 surrogate ("\\ud800") is valid JSON but no character: PostgreSQL and the UTF-8 encoders refuse
it. Every JSON body that carries one, in a value or a key, is a 400 with a Chinese message before any view runs
(core/wellformed.py), never a 500; a pair that makes one character (an emoji) is text like any other. On SQLite
and PostgreSQL."""
import pytest

from core.auth.service import create_token
from hotline.seed import seed_categories
from tests.conftest import make_user

TICKET = '{"type": "complaint", "category_code": "030101", "caller_phone": "13800001111", "content": "%s", "address": "x"}'


@pytest.fixture
def token(seeded, now):
    seed_categories()
    return {"Authorization": "Bearer " + create_token(make_user("operator", "op-s@x.cn"), now=now)[0],
            "Content-Type": "application/json"}


@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/v1/disclosure-requests", "/api/v1/sms/inbound"])
@pytest.mark.parametrize("body", [TICKET % "\\ud800 夜间噪声", TICKET % "噪声\\udfff",
                                  '{"content\\udc00": "x", "type": "complaint"}'])
def test_json_with_a_lone_surrogate_is_refused(client, token, path, body):
    r = client.post(path, data=body.encode(), headers=token)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert "代理项" in r.get_json()["message"]


def test_a_surrogate_pair_is_one_character(client, token):
    r = client.post("/api/v1/tickets", data=(TICKET % "夜间噪声 \\ud83d\\ude20").encode(), headers=token)
    assert r.status_code == 201, r.get_data(as_text=True)[:300]
    assert r.get_json()["content"] == "夜间噪声 \U0001F620"
