"""12345 诉求.

`init_app(app)` wires the hotline into an application (called from app.py): its tables, blueprints,
the periodic duty run after every deadline sweep, the category seeder of `flask seed`, and the type
and category labels the public log shows.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import hotline.knowledge  # noqa: F401  (the tables, for the metadata)
    import hotline.models  # noqa: F401
    from core.jobs.periodic import register_periodic
    from hotline.api import bp as tickets_api_bp
    from hotline.catalogue import CATEGORIES
    from hotline.citizen_views import bp as hotline_citizen_bp
    from hotline.kb_views import bp as hotline_kb_bp
    from hotline.open311 import bp as open311_bp
    from hotline.seed import seed_categories_message
    from hotline.sla import TYPES
    from hotline.sla_views import bp as hotline_sla_bp
    from hotline.staff_views import bp as hotline_bp
    from hotline.supervision import escalate_overdue
    from hotline.supervision_views import bp as hotline_supervision_bp
    from public_log.labels import register_labels

    for bp in (tickets_api_bp, open311_bp, hotline_bp, hotline_kb_bp, hotline_citizen_bp, hotline_sla_bp,
               hotline_supervision_bp):
        app.register_blueprint(bp)
    register_periodic(escalate_overdue)  # 督办单 whose written feedback is late go to level 2
    seeders = app.extensions.setdefault("seeders", [])  # `flask seed` runs them (core/cli.py)
    if seed_categories_message not in seeders:
        seeders.append(seed_categories_message)
    register_labels("hotline", types=TYPES, categories=CATEGORIES)  # 诉求类型 and 分类 of the public log
