"""Seed the category catalogue (idempotent; admin edits are kept)."""
from core.db import unit_of_work
from core.departments.models import Department
from core.extensions import db
from hotline.catalogue import CATEGORIES, level, parent
from hotline.models import Category


def seed_categories():
    deps = {d.code: d.id for d in Department.query}
    existing = {c for (c,) in db.session.query(Category.code)}
    added = 0
    with unit_of_work():
        for code, name, dep in CATEGORIES:
            if code in existing:
                continue
            db.session.add(Category(code=code, name=name, parent_code=parent(code), level=level(code),
                                    department_id=deps.get(dep)))
            added += 1
    return added


def seed_categories_message():
    added = seed_categories()
    return f"12345 事项分类：新增 {added} 个" if added else "12345 事项分类：已存在，未改动"
