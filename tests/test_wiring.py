"""Explicit wiring: each package's init_app registers its pieces once per process, however many
applications are built; the public log gets its labels from the workflows; a job finds the application
the worker was given; core and public_log import no workflow (and core not `app`)."""
import ast
from pathlib import Path

import pytest
from flask import current_app

from app import create_app
from config import TestingConfig
from core.calendar.hooks import RECOMPUTE_HOOKS
from core.clocks.sweep import UNASSIGNED_RECIPIENTS
from core.jobs import job, runtime
from core.jobs.periodic import PERIODIC_HOOKS

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ("requests_module", "hotline", "public_log", "reports")


class Cfg(TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def _names(hooks):
    return [f"{hook.__module__}.{hook.__name__}" for hook in hooks]


def test_building_the_app_twice_registers_every_duty_hook_label_and_seeder_once():
    first = create_app(Cfg)
    before = (_names(PERIODIC_HOOKS), _names(RECOMPUTE_HOOKS), dict(UNASSIGNED_RECIPIENTS))
    second = create_app(Cfg)
    assert (_names(PERIODIC_HOOKS), _names(RECOMPUTE_HOOKS), dict(UNASSIGNED_RECIPIENTS)) == before
    assert sorted(_names(PERIODIC_HOOKS)) == [
        "core.idempotency.purge_expired", "core.pending_uploads.purge_expired", "hotline.hotspots.hotspot_watch",
        "hotline.supervision.escalate_overdue", "public_log.indexing.search_catch_up",
        "reports.rollups.rollup_catch_up", "reports.runs.report_runs_catch_up", "requests_module.lapses.expire_unanswered"]
    assert _names(RECOMPUTE_HOOKS) == ["core.clocks.recompute.recompute_open_clocks",
                                       "requests_module.documents.follow_calendar"]
    from hotline.seed import seed_categories_message
    for app in (first, second):
        assert app.extensions["seeders"] == [seed_categories_message]
        assert {"log", "jobs", "worker", "seed"} <= set(app.cli.commands)
        assert app.extensions["migrate"].configure_args["include_name"].__module__ == "public_log.search"
    assert sorted(r.rule for r in first.url_map.iter_rules()) == sorted(r.rule for r in second.url_map.iter_rules())


def test_the_public_log_labels_come_from_the_workflows():
    create_app(Cfg)
    from hotline.catalogue import CATEGORIES
    from hotline.sla import TYPES
    from public_log import labels, queries
    from requests_module.outcomes import choices

    assert set(labels.TYPES) == {"disclosure", "hotline"} and set(labels.CATEGORIES) == {"hotline"}
    assert queries.type_labels() == {"disclosure": dict(choices()), "hotline": dict(TYPES)}
    assert queries.type_label("complaint") == "投诉" and queries.type_label("unknown-code") == "unknown-code"
    assert queries.category_labels(max_level=1) == {c: n for c, n, _ in CATEGORIES if len(c) == 2}
    assert queries.category_label("01") == "城乡建设" and queries.category_label(None) == ""


@job
def _which_app():
    return current_app.config["WIRING_MARK"]


def test_a_job_without_an_application_runs_in_the_one_the_worker_bound():
    saved = runtime._app
    try:
        runtime.bind(None)
        with pytest.raises(RuntimeError, match="flask --app app worker"):
            _which_app()
        worker_app = create_app(Cfg)
        worker_app.config["WIRING_MARK"] = "worker"
        runtime.bind(worker_app)
        assert _which_app() == "worker"
        web_app = create_app(Cfg)
        web_app.config["WIRING_MARK"] = "web"
        with web_app.app_context():  # in-process jobs (no Redis) run in the current application
            assert _which_app() == "web"
    finally:
        runtime.bind(saved)


def _imports(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield path, [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                yield path, [node.module]


@pytest.mark.parametrize("package, forbidden", [
    ("core", (*DOMAINS, "app")),
    ("public_log", ("requests_module", "hotline", "reports", "app")),
])
def test_core_and_the_public_log_import_no_workflow(package, forbidden):
    offending = [f"{path.relative_to(ROOT)}: {name}" for path, names in _imports(package) for name in names
                 if name.split(".")[0] in forbidden]
    assert offending == []
