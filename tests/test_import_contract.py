"""Import contract (DESIGN.md §5): imports flow one way, and a test says so with the offending line.

- `core` imports no domain (`requests_module`, `hotline`, `public_log`, `reports`) and not `app`;
- `public_log` imports neither workflow, nor `reports`, nor `app` (the domains hand it their labels);
- `requests_module` and `hotline` never import each other, nor `reports`, nor `app`;
- `reports` does not import `app`;
- inside the tree: views → services → models. A view module (`*views.py`, `api.py`, `*_api.py`,
  `open311.py`) may import anything below it; a service module (any other module) imports no view
  module; a model module (`models.py`, `*_models.py`) imports only core's extensions and column types,
  other models, and states/enums.

Pure: the files are parsed with `ast` (imports inside functions count too); nothing is imported or run.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "public_log", "requests_module", "hotline", "reports")

# Which top-level names each package may not import.
FORBIDDEN = {
    "core": {"requests_module", "hotline", "public_log", "reports", "app"},
    "public_log": {"requests_module", "hotline", "reports", "app"},
    "requests_module": {"hotline", "reports", "app"},
    "hotline": {"requests_module", "reports", "app"},
    "reports": {"app"},
}

# What a model module may import from the tree besides other models and states/enums: the extensions
# (`db`), column types, domain errors, the core modules that define a model beside their helpers, and
# core.workflow (a model module may declare its own state machine, as correction_models.py does).
MODEL_MAY_IMPORT = {"core.extensions", "core.db", "core.errors", "core.audit", "core.handoff", "core.pending_uploads",
                    "core.idempotency",
                    "core.workflow",
                    "core.auth.passwords"}  # a leaf (flask + werkzeug only): the User model hashes through it

# Known violations waiting for a fix (none today). The test fails when one of them no longer occurs, so the
# set only shrinks; a new violation is never added here but fixed.
PENDING: set[tuple[str, str]] = set()


def role(path):
    """'view', 'model', 'wiring' (a package's __init__) or 'service', from the file name."""
    name = Path(path).name
    if name == "__init__.py":
        return "wiring"
    if name.endswith("views.py") or name in ("api.py", "open311.py") or name.endswith("_api.py"):
        return "view"
    if name in ("models.py",) or name.endswith("_models.py"):
        return "model"
    return "service"


def module_name(path):
    """'core/auth/views.py' → 'core.auth.views'; 'core/jobs/__init__.py' → 'core.jobs'."""
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_path(module, root):
    """The file of a first-party module, or None (third party, or a name inside a module)."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(root).as_posix()
    return None


def imported_modules(source, path, root=ROOT):
    """Yield (line, module) for every import of `source`, nested ones too; `from pkg import sub`
    names the submodule `pkg.sub` when it is one, relative imports are resolved against `path`."""
    package = module_name(path).split(".")
    if Path(path).name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                yield node.lineno, sub if _module_path(sub, root) else module


def violations(source, path, root=ROOT):
    """The contract's violations in one file, as (path, line, imported module, reason)."""
    path = Path(path).as_posix()
    top = path.split("/")[0]
    if top not in PACKAGES:
        return []
    found = []
    my_role = role(path)
    for line, module in imported_modules(source, path, root):
        head = module.split(".")[0]
        if head in FORBIDDEN[top]:
            found.append((path, line, module, f"{top} must not import {head}"))
            continue
        target = _module_path(module, root)
        if target is None or target.split("/")[0] not in PACKAGES:
            continue  # standard library, third party, or config
        target_role = role(target)
        if my_role == "service" and target_role == "view":
            found.append((path, line, module, "a service module must not import a view module"))
        elif my_role == "model" and target_role != "model" and module not in MODEL_MAY_IMPORT \
                and module.split(".")[-1] not in ("states", "enums"):
            found.append((path, line, module, "a model module imports only extensions, models and states"))
    return found


def tree_files(root=ROOT):
    for package in PACKAGES:
        yield from sorted((root / package).rglob("*.py"))


def all_violations(root=ROOT):
    found = []
    for file in tree_files(root):
        rel = file.relative_to(root).as_posix()
        found.extend(violations(file.read_text(encoding="utf-8"), rel, root))
    return found


def test_imports_follow_the_contract():
    found = all_violations()
    new = [v for v in found if (v[0], v[2]) not in PENDING]
    assert not new, "imports that break the contract (DESIGN.md §5):\n" + "\n".join(
        f"  {path}:{line}: import {module} — {reason}" for path, line, module, reason in new)


def test_pending_violations_still_exist_or_are_removed_from_the_list():
    still = {(v[0], v[2]) for v in all_violations()}
    gone = sorted(PENDING - still)
    assert not gone, "these PENDING imports are gone: remove them from PENDING in this file:\n" + "\n".join(
        f"  {path}: {module}" for path, module in gone)


@pytest.mark.parametrize("path, source, reason", [
    ("core/made_up.py", "def f():\n    from hotline.states import Status\n", "core must not import hotline"),
    ("core/made_up.py", "import app\n", "core must not import app"),
    ("public_log/made_up.py", "from requests_module import states\n", "public_log must not import requests_module"),
    ("hotline/made_up.py", "from requests_module.models import DisclosureRequest\n",
     "hotline must not import requests_module"),
    ("requests_module/made_up.py", "from reports.runs import start\n", "requests_module must not import reports"),
    ("reports/made_up.py", "from app import create_app\n", "reports must not import app"),
    ("hotline/made_up.py", "from hotline import staff_views\n", "a service module must not import a view module"),
    ("hotline/made_up.py", "from .api import bp\n", "a service module must not import a view module"),
    ("hotline/made_up_models.py", "from hotline.intake import submit\n",
     "a model module imports only extensions, models and states"),
])
def test_the_checker_reports_a_made_up_violation(path, source, reason):
    found = violations(source, path)
    assert [(p, r) for p, _line, _module, r in found] == [(path, reason)], found


def test_the_checker_accepts_the_allowed_directions():
    source = ("from core.extensions import db\nfrom hotline.states import Status\n"
              "from hotline.models import Ticket\nfrom sqlalchemy import Index\n")
    assert violations(source, "hotline/made_up_models.py") == []
    assert violations("from hotline import intake, models\nfrom core.audit import log_change\n",
                      "hotline/made_up_views.py") == []
