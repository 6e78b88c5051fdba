"""Reports: the statutory annual disclosure report and (later) dashboards.

`init_app(app)` wires the reports into an application (called from app.py): their tables, blueprint,
the re-dispatch of report runs a lost job left queued (after every deadline sweep), and the check of
the assessment weights (a wrong weight refuses to start, not a 500 later), and their links.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    import reports.models  # noqa: F401  (the tables, for the metadata)
    from core.auth.models import Role
    from core.jobs.periodic import register_periodic
    from core.templating import NAV, Link, register_links
    from reports.hotline_assessment import weights_from
    from reports.runs import report_runs_catch_up
    from reports.views import bp as reports_bp

    weights_from(app.config["HOTLINE_ASSESSMENT_WEIGHTS"])
    app.register_blueprint(reports_bp)
    register_periodic(report_runs_catch_up, "报表任务补发")  # runs a lost job left queued go to the queue again
    readers = frozenset({Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN})  # not the 12345 desk
    register_links(app, NAV, Link("年度报表", "reports.disclosure_index", readers, 50),
                   Link("公开办理数据", "reports.disclosure_dashboard", readers, 51),
                   Link("热线数据", "reports.hotline_dashboard", readers, 52))
