"""The documentation names only what exists: docs/routes.md is what tools/routes_doc.py writes from the
access table now; every `path/file.py: name` and `tests/…::test_name` in docs/rules.md, and every path
or dotted code name in README.md and docs/*.md, exists in the tree (functions, classes and constants
looked up with ast), so a rename cannot leave a stale line behind."""
import ast
import functools
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = ("core", "hotline", "requests_module", "public_log", "reports", "tests")
RUNTIME = {"instance", "test-artifacts", "__pycache__"}  # made when the app runs: named in the docs, not in the tree
TOP = {p.name for p in ROOT.iterdir() if not p.name.startswith(".")} - RUNTIME | {".ci"}


CODE = re.compile(r"`([^`\n]+)`")
# `path/file.py: name, Class.attr` (a test file's tests may follow its path the same way)
DEFINES = re.compile(r"^([\w/.-]+\.py): ?([\w., ]+)$")
TEST = re.compile(r"(tests/[\w/]+\.py)|::(\w+)")  # a test file, then its tests (`::name`)
MODULE_ATTR = re.compile(r"^([\w/]+)\.(\w+)$")  # `hotline/caller_view.expected`
DOTTED = re.compile(r"^(?:%s)(?:\.\w+)+" % "|".join(PACKAGES))


def _generator():
    spec = importlib.util.spec_from_file_location("routes_doc", ROOT / "tools" / "routes_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_routes_doc_is_generated_from_the_access_table():
    generator = _generator()
    assert (ROOT / "docs" / "routes.md").read_text(encoding="utf-8") == generator.render(), (
        f"docs/routes.md is stale: regenerate it with `{generator.COMMAND}` and commit it")


@functools.cache
def _names(path):
    """Top-level names of a Python file, with Class.attribute for what a class defines."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()

    def targets(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [node.name]
        if isinstance(node, ast.Assign):
            return [t.id for t in node.targets if isinstance(t, ast.Name)]
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            return [node.target.id]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return [(a.asname or a.name).split(".")[0] for a in node.names]
        return []

    for node in tree.body:
        names.update(targets(node))
        if isinstance(node, ast.ClassDef):
            names.update(f"{node.name}.{n}" for child in node.body for n in targets(child))
    return names


def _module_file(dotted):
    """The longest prefix of a dotted name that is a module: (relative path, rest of the name)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        base = "/".join(parts[:i])
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if (ROOT / candidate).is_file():
                return candidate, ".".join(parts[i:])
    return None, dotted


def _is_path(token):
    first = token.split("/")[0]
    return ("/" in token or token.endswith((".py", ".md", ".toml", ".ini", ".txt"))) and first in TOP | {
        "docs", "tools"} and " " not in token


FENCE = re.compile(r"^```.*?^```", re.S | re.M)
SPAN = re.compile(r"`([^`]+)`")  # inline code, which may wrap onto the next line


def _token_problems(token, where):
    token = " ".join(token.split())
    defined = DEFINES.match(token)
    if defined:
        path = defined.group(1)
        if not (ROOT / path).is_file():
            return [f"{where}: no file {path}"]
        return [f"{where}: {path} defines no {name}" for name in (n.strip() for n in defined.group(2).split(","))
                if name and name not in _names(path)]
    module_attr = MODULE_ATTR.match(token)
    if module_attr and not (ROOT / token).exists() and (ROOT / (module_attr.group(1) + ".py")).is_file():
        path, name = module_attr.group(1) + ".py", module_attr.group(2)
        return [] if name in _names(path) else [f"{where}: {path} defines no {name}"]
    if _is_path(token.split("::")[0]):
        path = token.split("::")[0].rstrip("/")
        if "<" not in path and "*" not in path and not (ROOT / path).exists():
            return [f"{where}: no such path {path}"]
        return []
    dotted = DOTTED.match(token)
    if dotted:
        path, rest = _module_file(dotted.group(0))
        if path is None:
            return [f"{where}: no module for {dotted.group(0)}"]
        if rest and rest not in _names(path) and rest.split(".")[0] not in _names(path):
            return [f"{where}: {path} defines no {rest}"]
    return []


def _problems(doc):
    text = doc.read_text(encoding="utf-8")
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)  # shell examples: not references
    name = doc.relative_to(ROOT)
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        test_file = None
        for match in TEST.finditer(line):
            if match.group(1):
                test_file = match.group(1)
            elif test_file is None:
                problems.append(f"{name}:{number}: ::{match.group(2)} without a test file before it on the line")
            elif (ROOT / test_file).is_file() and match.group(2) not in _names(test_file):
                problems.append(f"{name}:{number}: {test_file} defines no {match.group(2)}")
    for match in SPAN.finditer(text):
        problems += _token_problems(match.group(1), f"{name}:{text.count(chr(10), 0, match.start()) + 1}")
    return problems


def test_every_path_function_and_test_named_in_the_docs_exists():
    problems = [p for doc in DOCS for p in _problems(doc)]
    assert problems == [], "stale references in the docs:\n" + "\n".join(problems)


def test_rules_reference_code_and_tests_in_one_form():
    """Each row of the rule tables of docs/rules.md (| rule | source | code | test |) names the code as
    `path.py: function` (or a file) and the test that holds it as `tests/…` ."""
    rows, in_rules = [], False
    for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| rule | source | code | test |"):
            in_rules = True
        elif not line.startswith("|"):
            in_rules = False
        elif in_rules and not line.startswith("|---"):
            rows.append(line)
    assert len(rows) > 50, "docs/rules.md lists fewer rules than it did"
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        assert len(cells) == 4, f"not four cells: {cells[0][:60]}"
        code, test = CODE.findall(cells[2]), CODE.findall(cells[3])
        assert any(DEFINES.match(t) or _is_path(t) for t in code), f"no code named: {cells[0][:60]}"
        assert any(t.startswith("tests/") for t in test), f"no test named: {cells[0][:60]}"


def test_both_workflows_have_the_files_the_readme_says():
    """README's table of file roles: each file it names exists in the package of its column."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| role | `requests_module/` | `hotline/` |"))
    missing = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for package, cell in zip(("requests_module/", "hotline/"), cells[1:]):
            missing += [package + name for name in CODE.findall(cell)
                        if not (ROOT / package / name).is_file()]
    assert missing == [], f"README names files that do not exist: {missing}"
