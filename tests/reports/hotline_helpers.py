"""Tickets for the hotline report tests, taken through the real flows (hotline/intake.py)."""
from core.departments.models import Department
from hotline import intake
from hotline.seed import seed_categories
from tests.conftest import make_user

CALL = {"caller_phone": "13800001111", "content": "测试诉求", "address": "亭湖区某路"}


def dep(code):
    return Department.query.filter_by(code=code).one()


def new(received, type_="complaint", category="030101", *, to=None, dispatched=None):
    """A call received (and entered) at `received`; dispatched to department `to` at `dispatched` if given."""
    ticket = intake.create_ticket({**CALL, "type": type_, "category_code": category}, channel="phone",
                                  received_at=received, now=received, actor="op")
    if to:
        intake.dispatch(ticket, dep(to), now=dispatched, actor="op")
    return ticket


def catalogue_and_supervisor():
    """Load the category catalogue; the supervisor (sup@x.cn) who reviews callbacks."""
    seed_categories()
    return make_user("supervisor", "sup@x.cn")
