"""Hotline tests run on the seeded app with the category catalogue loaded."""
import pytest

from hotline.seed import seed_categories
from tests.conftest import login, make_user


@pytest.fixture
def hot(seeded):
    seed_categories()
    return seeded


@pytest.fixture
def desk(client, hot):
    """The test client with an operator (op@x.cn) signed in."""
    make_user("operator", "op@x.cn")
    login(client, "op@x.cn")
    return client


@pytest.fixture
def api(api_as, hot):
    """The JSON API as a user of a role (tests/conftest.py `api_as`), on the catalogue."""
    return api_as
