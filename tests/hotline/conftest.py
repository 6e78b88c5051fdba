"""Hotline tests run on the seeded app with the category catalogue loaded."""
import pytest

from hotline.seed import seed_categories


@pytest.fixture
def hot(seeded):
    seed_categories()
    return seeded
