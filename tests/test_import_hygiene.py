"""The core never imports Textual (or Jinja2), and the quick commands stay light.

Checked two ways: statically (no module below the UI names textual) and for real (a fresh
interpreter runs ``kommunestyre headcount`` and reports what it loaded).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kommunestyre"
UI_PACKAGES = {"tui"}
CORE = ["domain", "store", "services"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_modules_never_name_textual() -> None:
    for path in PACKAGE.rglob("*.py"):
        if UI_PACKAGES.intersection(path.relative_to(PACKAGE).parts):
            continue
        for module in imported_modules(path):
            assert not module.startswith("textual"), f"{path} imports {module}"


def test_domain_is_pure() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        for module in imported_modules(path):
            root = module.split(".")[0]
            assert root not in {"tinydb", "textual", "jinja2", "filelock", "platformdirs"}, (
                f"{path.name} imports {module}"
            )
            assert not module.startswith(("kommunestyre.store", "kommunestyre.services")), (
                f"{path.name} imports {module}"
            )


def loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    environment = {**os.environ, "PYTHONPATH": str(PACKAGE.parent), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_ui() -> None:
    modules = loaded_after("import kommunestyre.cli")
    assert not any(m.startswith(("textual", "jinja2", "rich")) for m in modules)


def test_headcount_runs_without_textual(demo_db: Path) -> None:
    code = (
        "import contextlib, io\n"
        "from kommunestyre.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['headcount', '--db', {str(demo_db)!r}]) == 0\n"
    )
    modules = loaded_after(code)
    assert "kommunestyre.services.headcount" in modules  # it really ran
    assert not any(m.startswith(("textual", "jinja2", "rich", "filelock")) for m in modules)
