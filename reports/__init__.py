"""Reports: the statutory annual disclosure report and (later) dashboards.

`init_app(app)` wires the reports into an application (called from app.py): their tables, blueprint,
the re-dispatch of report runs a lost job left queued and the hotline roll-ups of closed days (after
every deadline sweep), the hook that marks rolled-up days changed, the `flask reports` commands, the check of
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
    from reports.cli import reports_cli
    from reports.hotline_assessment import weights_from
    from reports.rollups import rollup_catch_up, watch_changes
    from reports.runs import report_runs_catch_up
    from reports.views import bp as reports_bp

    weights_from(app.config["HOTLINE_ASSESSMENT_WEIGHTS"])
    app.register_blueprint(reports_bp)
    register_periodic(report_runs_catch_up, "报表任务补发")  # runs a lost job left queued go to the queue again
    register_periodic(rollup_catch_up, "热线日汇总")  # closed days new or changed since their roll-up
    watch_changes()  # a change to a rolled-up day's tickets makes the day's roll-up stale
    app.cli.add_command(reports_cli)
    readers = frozenset({Role.STAFF, Role.APPROVER, Role.SUPERVISOR, Role.ADMIN})  # not the 12345 desk
    register_links(app, NAV, Link("年度报表", "reports.disclosure_index", readers, 50),
                   Link("公开办理数据", "reports.disclosure_dashboard", readers, 51),
                   Link("热线数据", "reports.hotline_dashboard", readers, 52))
