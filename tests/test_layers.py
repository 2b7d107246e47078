"""The layers, checked on the import graph (every import, lazy ones inside functions included).

    cli, cli_*  /  tui        the two faces; neither imports the other (the CLI starts the app
        |                     through kommunestyre.tui.app and nothing else)
    services                  use cases; they build the store and hand it to the faces
        |
    letters  /  lists         siblings: neither imports the other
        |
    store                     the only code that touches the database file
        |
    domain                    pure rules; imports nothing of the project but its own modules
                              and the typed errors

Leaf helpers (errors, formats, clock, atomic, resources, locations, definition) sit beside the
domain and may be imported from any layer above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kommunestyre"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path) -> set[str]:
    """Every ``kommunestyre...`` module a file imports, wherever in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kommunestyre"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kommunestyre"):
            found.add(node.module or "")
            # ``from kommunestyre.tui import app`` imports kommunestyre.tui.app
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


GRAPH = {module_name(p): project_imports(p) for p in PACKAGE.rglob("*.py")}


def within(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def real(imports: set[str]) -> set[str]:
    """Drop the ``from package import name`` guesses that are not modules."""
    return {m for m in imports if m in GRAPH}


def offenders(layer: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, imports in GRAPH.items()
        if within(module, *layer)
        for target in real(imports)
        if within(target, *forbidden) and not within(target, *layer)
    )


CLI = (
    "kommunestyre.cli",
    "kommunestyre.cli_invoices",
    "kommunestyre.cli_letters",
    "kommunestyre.cli_lists",
    "kommunestyre.cli_register",
)
ABOVE_DOMAIN = (
    "kommunestyre.store",
    "kommunestyre.letters",
    "kommunestyre.lists",
    "kommunestyre.services",
    "kommunestyre.tui",
    "kommunestyre.definition",
    "kommunestyre.locations",
    "kommunestyre.resources",
    *CLI,
)

CONTRACTS = {
    "the domain imports only itself and the errors": (
        ("kommunestyre.domain",),
        (
            *ABOVE_DOMAIN,
            "kommunestyre.formats",
            "kommunestyre.clock",
            "kommunestyre.atomic",
            "kommunestyre.spreadsheet",
            "kommunestyre.crash",
            "kommunestyre.terminal",
        ),
    ),
    "the store never reaches up": (
        ("kommunestyre.store",),
        (
            "kommunestyre.letters",
            "kommunestyre.lists",
            "kommunestyre.services",
            "kommunestyre.tui",
            "kommunestyre.definition",
            *CLI,
        ),
    ),
    "letters do not import lists or anything above": (
        ("kommunestyre.letters",),
        ("kommunestyre.lists", "kommunestyre.services", "kommunestyre.tui", *CLI),
    ),
    "lists do not import letters or anything above": (
        ("kommunestyre.lists",),
        ("kommunestyre.letters", "kommunestyre.services", "kommunestyre.tui", *CLI),
    ),
    "services serve the faces, never import them": (
        ("kommunestyre.services",),
        ("kommunestyre.tui", *CLI),
    ),
    "the app never imports the command line, nor builds the store itself": (
        ("kommunestyre.tui",),
        (*CLI, "kommunestyre.store"),
    ),
    "helpers beside the domain import no layer above it": (
        (
            "kommunestyre.errors",
            "kommunestyre.formats",
            "kommunestyre.clock",
            "kommunestyre.atomic",
            "kommunestyre.resources",
            "kommunestyre.locations",
            "kommunestyre.definition",
            "kommunestyre.spreadsheet",
            "kommunestyre.crash",
            "kommunestyre.terminal",
            "kommunestyre.i18n",
        ),
        (
            "kommunestyre.store",
            "kommunestyre.letters",
            "kommunestyre.lists",
            "kommunestyre.services",
            "kommunestyre.tui",
            *CLI,
        ),
    ),
}


@pytest.mark.parametrize("contract", CONTRACTS)
def test_layer_contract(contract: str) -> None:
    layer, forbidden = CONTRACTS[contract]
    assert offenders(layer, forbidden) == []


def test_the_command_line_starts_the_app_through_one_door() -> None:
    reached = sorted(
        target
        for module in CLI
        for target in real(GRAPH[module])
        if within(target, "kommunestyre.tui")
    )
    assert reached == ["kommunestyre.tui.app"]


def test_the_contracts_see_the_imports() -> None:
    """The checker itself works: it finds lazy imports and a forbidden edge when there is one."""
    assert "kommunestyre.tui.app" in GRAPH["kommunestyre.cli"]  # imported inside a function
    assert offenders(("kommunestyre.cli",), ("kommunestyre.tui",)) != []
