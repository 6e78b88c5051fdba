"""Every page form speaks Chinese: WTForms' own validation messages come from its bundled zh catalogue
(core/forms.Form), not in English (issue 15 review: the correction and registration forms answered
"Field cannot be longer than 200 characters.")."""
from werkzeug.datastructures import MultiDict

from core.auth.forms import LoginForm
from requests_module.correction_forms import CorrectionForm
from requests_module.forms import ApplicationForm


def test_length_and_choice_messages_are_chinese(app):
    with app.test_request_context(method="POST"):
        form = ApplicationForm(formdata=MultiDict({"title": "x" * 201, "id_type": "forged"}), meta={"csrf": False})
        form.validate()
        assert form.errors["title"] == ["字段长度不能超过 200 个字符。"]
        assert all("Not a valid" not in m for msgs in form.errors.values() for m in msgs)
        correction = CorrectionForm(formdata=MultiDict({"inaccuracy": "x" * 5001}), meta={"csrf": False})
        correction.validate()
        assert correction.errors["inaccuracy"] == ["字段长度不能超过 5000 个字符。"]
        login = LoginForm(formdata=MultiDict({"login": "a" * 255, "password": "p"}), meta={"csrf": False})
        login.validate()
        assert login.errors["login"] == ["字段长度不能超过 254 个字符。"]
