"""Seed the category catalogue (idempotent; admin edits are kept)."""
from __future__ import annotations

from core.db import unit_of_work
from core.departments.models import Department
from core.extensions import db
from hotline.catalogue import CATEGORIES, level, parent
from hotline.models import Category


def seed_categories() -> int:
    """Add the catalogue's missing categories; a category still routed to an organ abolished in the 2019
    reform (retired by the department seed: inactive, in seed_data.ABOLISHED) goes to the department the
    catalogue now names — an admin's own routing to any other department is kept."""
    from core.departments.seed_data import ABOLISHED

    deps = {d.code: d for d in Department.query}
    retired = {deps[c].id for c in ABOLISHED if c in deps and not deps[c].active}
    catalogue = {code: dep for code, _, dep in CATEGORIES}
    added = 0
    with unit_of_work():
        for category in Category.query.filter(Category.department_id.in_(retired)) if retired else ():
            successor = deps.get(catalogue.get(category.code))
            if successor is not None and successor.active:
                category.department_id = successor.id
        existing = {c for (c,) in db.session.query(Category.code)}
        for code, name, dep in CATEGORIES:
            if code in existing:
                continue
            db.session.add(Category(code=code, name=name, parent_code=parent(code), level=level(code),
                                    department_id=deps[dep].id if dep in deps else None))
            added += 1
    return added


def seed_categories_message() -> str:
    added = seed_categories()
    return f"12345 事项分类：新增 {added} 个" if added else "12345 事项分类：已存在，未改动"
