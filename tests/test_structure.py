"""STYLE.md's promises about the code's shape, checked so that a new app or module cannot drift.

- Every app has the same shape: `apps.py`, a `tests/` package, `urls.py` with `app_name` = its label,
  templates only under `templates/<label>/`; `services`, `selectors`, `views`, `models`, `forms` and
  `schemas` are each one module or one package, never a module plus `<kind>_<part>.py` siblings; an
  API split in parts is an `api/` package, not `api_<part>.py` modules with routers.
- A module holds at most 400 lines (tests and migrations aside); past that it becomes a package split
  by sub-domain. Today's larger modules are listed below, each waiting for its split.
- Production modules never import test or bench code (factories, tenancy harness data, generators).
- API modules read through selectors: no `Model.objects`, no query building of their own.
- No import cycles and the one-way app layering (the import-linter contracts of pyproject.toml, also
  run by `make lint`).

Each test lists every offender, not just the first.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS_DIR = ROOT / "sangsaeng"
MAX_LINES = 400

# Modules past MAX_LINES today. Split pending: issue 10 §5 ("rooms of a sensible size"); each entry goes
# when its module is split into a package. The list may only shrink: a module that is no longer too
# long must leave it, and a module not listed here may not pass MAX_LINES.
OVERSIZED_ALLOWED = {
    # split pending: issue 10 §5 (finance's loan services into application, disbursement, repayment)
    "sangsaeng/finance/services/loans.py",
    "sangsaeng/finance/selectors/loans.py",
    "sangsaeng/finance/models/loans.py",
    "sangsaeng/finance/schemas.py",
    # split pending: issue 10 §5 (benefit sharing becomes its own app)
    "sangsaeng/finance/services/sharing.py",
    # split pending: issue 10 §5 (R&D API and selectors by area)
    "sangsaeng/rnd/api.py",
    "sangsaeng/rnd/selectors.py",
    "sangsaeng/rnd/views/manage.py",
    "sangsaeng/rnd/models.py",
    # split pending: issue 10 §5 (openlab's modules become services/, selectors/, views/ packages)
    "sangsaeng/openlab/services.py",
    "sangsaeng/openlab/selectors.py",
    "sangsaeng/openlab/api.py",
    "sangsaeng/openlab/views.py",
    # split pending: issue 10 §5
    "sangsaeng/usecases/services.py",
    "sangsaeng/usecases/selectors.py",
    "sangsaeng/partners/selectors.py",
    "sangsaeng/core/workflow.py",
    "sangsaeng/core/api_errors.py",
    "sangsaeng/demo/programmes/finance.py",
    # split pending: issue 10 §5 (the councils app, merged whole; api by area, models, services)
    "sangsaeng/councils/api.py",
    "sangsaeng/councils/models.py",
    "sangsaeng/councils/services/meetings.py",
    "sangsaeng/councils/services/tasks.py",
}

# Parts of a module kind kept beside it instead of in a package. Split pending: issue 10 §5.
VARIANT_MODULES_ALLOWED = {
    # split pending: issue 10 §5 (openlab's *_catalogue.py become services/, selectors/, views/ packages)
    "sangsaeng/openlab/services_catalogue.py",
    "sangsaeng/openlab/selectors_catalogue.py",
    "sangsaeng/openlab/views_catalogue.py",
    # split pending: issue 10 §5 (benefit sharing becomes its own app, with its own api.py)
    "sangsaeng/finance/api_sharing.py",
}

# API modules that still build a query of their own. Benefit sharing moves to its own app in
# parallel (issue 10 §5); its API reads through that app's selectors then.
API_QUERIES_ALLOWED = {
    "sangsaeng/finance/api_sharing.py",
    # pending: the councils API's lookups of a person, agenda item, area, call or member by id move into
    # councils.selectors when its api.py is split by area (issue 10 §5).
    "sangsaeng/councils/api.py",
}

KINDS = ("services", "selectors", "views", "models", "forms", "schemas")
# Query building that belongs in a selector, not in an API module.
QUERY_NAMES = {"Q", "F", "Prefetch", "Count", "Sum", "Avg", "Max", "Min", "OuterRef", "Subquery", "Exists"}


def _apps() -> list[Path]:
    return sorted(path.parent for path in APPS_DIR.glob("*/apps.py"))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _production_modules() -> list[Path]:
    return sorted(
        path
        for path in APPS_DIR.rglob("*.py")
        if "tests" not in path.relative_to(APPS_DIR).parts
        and "migrations" not in path.relative_to(APPS_DIR).parts
    )


def _label(app: Path) -> str:
    return app.name


def test_every_app_has_the_same_shape():
    problems = []
    for app in _apps():
        name = _rel(app)
        if not (app / "tests" / "__init__.py").exists():
            problems.append(f"{name}: no tests/ package")
        urls = app / "urls.py"
        if urls.exists() and f'app_name = "{_label(app)}"' not in urls.read_text(encoding="utf-8"):
            problems.append(f'{name}/urls.py: app_name is not "{_label(app)}"')
        templates = app / "templates"
        if templates.exists():
            extra = sorted(p.name for p in templates.iterdir() if p.name != _label(app))
            if extra:
                problems.append(f"{name}/templates: only templates/{_label(app)}/ belongs here, not {extra}")
        for kind in KINDS:
            if (app / f"{kind}.py").exists() and (app / kind).is_dir():
                problems.append(f"{name}: both {kind}.py and {kind}/")
            for variant in sorted(app.glob(f"{kind}_*.py")):
                if _rel(variant) not in VARIANT_MODULES_ALLOWED:
                    problems.append(f"{_rel(variant)}: make {kind} a package ({kind}/) instead")
        for part in sorted(app.glob("api_*.py")):
            if "Router(" in part.read_text(encoding="utf-8") and _rel(part) not in VARIANT_MODULES_ALLOWED:
                problems.append(f"{_rel(part)}: an API in parts is an api/ package")
    assert problems == [], "\n".join(problems)


def test_no_module_passes_400_lines_except_those_waiting_for_their_split():
    lengths = {
        _rel(path): len(path.read_text(encoding="utf-8").splitlines()) for path in _production_modules()
    }
    too_long = sorted(f"{path} ({n} lines)" for path, n in lengths.items() if n > MAX_LINES)
    new = [entry for entry in too_long if entry.split(" ")[0] not in OVERSIZED_ALLOWED]
    assert new == [], f"split these into packages by sub-domain (≤ {MAX_LINES} lines a module): {new}"
    done = sorted(path for path in OVERSIZED_ALLOWED if lengths.get(path, 0) <= MAX_LINES)
    assert done == [], f"no longer too long (or gone): remove from OVERSIZED_ALLOWED: {done}"
    stale_variants = sorted(path for path in VARIANT_MODULES_ALLOWED if not (ROOT / path).exists())
    assert stale_variants == [], f"gone: remove from VARIANT_MODULES_ALLOWED: {stale_variants}"


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_production_modules_never_import_test_or_bench_code():
    offenders = []
    for path in _production_modules():
        for line, name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = name.split(".")
            if parts[0] == "bench" or "tests" in parts or parts[0] in ("factory", "pytest"):
                offenders.append(f"{_rel(path)}:{line} imports {name}")
    assert offenders == [], "\n".join(sorted(set(offenders)))


def _api_modules() -> list[Path]:
    found = []
    for app in _apps():
        found += [p for p in (app / "api.py", *sorted(app.glob("api/*.py"))) if p.exists()]
        found += [p for p in sorted(app.glob("api_*.py")) if "Router(" in p.read_text(encoding="utf-8")]
    return found


def _queries_of_its_own(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{_rel(path)}:{node.lineno} uses .objects")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db.models":
            names = sorted({alias.name for alias in node.names} & QUERY_NAMES)
            if names:
                found.append(f"{_rel(path)}:{node.lineno} builds queries with {names}")
        elif isinstance(node, ast.ImportFrom) and node.module == "django.shortcuts":
            if any(alias.name.startswith("get_") for alias in node.names):
                found.append(f"{_rel(path)}:{node.lineno} fetches objects with django.shortcuts")
    return found


def test_api_modules_read_through_selectors_only():
    assert _api_modules(), "no API module found"
    offenders = []
    for path in _api_modules():
        if _rel(path) not in API_QUERIES_ALLOWED:
            offenders += _queries_of_its_own(path)
    assert offenders == [], "move these reads into the app's selectors:\n" + "\n".join(offenders)


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run(
        [command, "--no-cache", "--no-logo", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_apps_keep_their_layers_and_have_no_import_cycle():
    answer = _lint_imports(ROOT)
    assert answer.returncode == 0, answer.stdout + answer.stderr


def test_the_cycle_contract_fails_for_a_cycle(tmp_path):
    # The contract above is only worth something if it can fail: two modules that import each other.
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "selectors.py").write_text("from loopy import services\n")
    (package / "services.py").write_text("from loopy import selectors\n")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.importlinter]
            root_packages = ["loopy"]

            [[tool.importlinter.contracts]]
            name = "no cycles"
            type = "acyclic_siblings"
            ancestors = ["loopy"]
            """
        )
    )
    answer = _lint_imports(tmp_path)
    assert answer.returncode != 0
    assert "selectors" in answer.stdout and "services" in answer.stdout
