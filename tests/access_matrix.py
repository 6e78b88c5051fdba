"""The mechanics both role x action matrices share (tests/hotline and tests/requests): people of every
role, a page client and an API client for one of them, and the verdict — page and API agree with each
other and with the test's own table of who may do what."""
from core.auth.service import create_token
from tests.conftest import csrf_from, login, make_user


def make_people(users):
    """{label: user} for USERS = {label: (role, department code or None)}."""
    out = {}
    for label, (role, dept) in users.items():
        login_id = f"{role}-{dept or 'x'}@m.cn" if role != "citizen" else "13800009999"
        out[label] = make_user(role, login_id, department=dept)
    return out


class Visitor:
    """One user's page session (with its CSRF token) and API token (staff only)."""

    def __init__(self, app, user):
        self.page = app.test_client()
        assert login(self.page, user.login_id).status_code == 302
        self.token = csrf_from(self.page.get("/auth/password").get_data(as_text=True))
        self.api = app.test_client()
        self.headers = ({"Authorization": "Bearer " + create_token(user, now=user.created_at)[0]}
                        if user.role.is_staff else {})

    def post_page(self, url):
        return self.page.post(url, data={"csrf_token": self.token}).status_code

    def post_api(self, url, body):
        return self.api.post(url, json=body, headers=self.headers).status_code

    def reads_in_api(self, collection, item_id):
        """Whether the API item and the API list (`collection`, e.g. /api/v1/disclosure-requests) both show
        the item to this user, and agree; None for a user without an API token."""
        if not self.headers:
            return None
        item = self.api.get(f"{collection}/{item_id}", headers=self.headers).status_code == 200
        listed = self.api.get(collection, headers=self.headers)
        ids = [i["id"] for i in listed.get_json()["items"]] if listed.status_code == 200 else []
        assert (item_id in ids) is item, (collection, item_id)
        return item


def authorised_on_page(status):
    return status in (302, 400, 409)  # done, or refused by the domain: the item's page again, with the message


def authorised_in_api(status):
    return status in (200, 400, 409)  # done, or refused by validation or the state table


def check(label, allowed, tries):
    """tries: [(action, page status, API status)]; `allowed`: the actions the table grants `label`."""
    disagreements, wrong = [], []
    for action, on_page, in_api in tries:
        assert 500 not in (on_page, in_api), (label, action, on_page, in_api)
        if authorised_on_page(on_page) != authorised_in_api(in_api):
            disagreements.append((action, on_page, in_api))
        if authorised_on_page(on_page) != (action in allowed):
            wrong.append((action, on_page, in_api))
    assert disagreements == [], f"{label}: page and API disagree"
    assert wrong == [], f"{label}: not as the table says"
