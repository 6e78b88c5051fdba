"""What the notification tests of both workflows share: the notifications of one event, the links on the inbox page,
and the check that a link grants nothing (a department that does not handle the item cannot open it)."""
import re

from core.notifications.models import Notification
from tests.conftest import login, make_user


def rows(event, **filters):
    return Notification.query.filter_by(event=event, **filters).order_by(Notification.id).all()


def links(html):
    """The hrefs of the notification entries' subjects on the inbox page."""
    return re.findall(r'<div class="fw-semibold">(?:<span[^>]*>未读：</span>)?<a href="([^"]+)"', html)


def assert_other_department_refused(app, url, department=None):
    """Staff of another department (z@x.cn, made in `department` unless the test made them already) are refused
    the page the link leads to."""
    if department:
        make_user("staff", "z@x.cn", department=department)
    stranger = app.test_client()
    login(stranger, "z@x.cn")
    assert stranger.get(url).status_code in (403, 404)
