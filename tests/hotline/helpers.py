"""Logging calls through the operator console in tests."""
from tests.conftest import csrf_from

CALL = {"caller_phone": "13800001111", "caller_name": "李四", "type": "complaint", "category": "030101 噪声扰民",
        "urgency": "normal", "address": "亭湖区某路 8 号", "content": "某工地夜间施工噪声扰民"}


def log_call(client, **changes):
    """Post the console form as the signed-in operator of `client`: CALL with `changes`."""
    page = client.get("/hotline/console").get_data(as_text=True)
    return client.post("/hotline/console", data={**CALL, "csrf_token": csrf_from(page), **changes})
