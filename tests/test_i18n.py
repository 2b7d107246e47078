"""The interface's language: the Danish catalogue is complete and compiled, no text a
coordinator reads bypasses it, and the language is chosen as the README says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tools import catalogue

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kommunestyre"

# -- the catalogue -------------------------------------------------------------------------------


def test_every_message_has_danish_text() -> None:
    danish = catalogue.read()
    lacking = [
        str(m.id)
        for m in catalogue.template()
        if m.id
        and (
            (found := danish.get(m.id, context=m.context)) is None
            or found.fuzzy
            or not all(catalogue._texts(found.string))
        )
    ]
    assert not lacking, f"run `python tools/catalogue.py update` and translate: {lacking[:20]}"


def test_the_compiled_catalogue_is_current() -> None:
    assert catalogue.MO_FILE.read_bytes() == catalogue.compiled(catalogue.read()), (
        "run `python tools/catalogue.py compile`"
    )


PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def test_translations_keep_every_placeholder() -> None:
    wrong = []
    for message in catalogue.read():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = catalogue._texts(message.string)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != wanted and not (
                len(ids) == 2 and set(PLACEHOLDER.findall(text)) <= set(wanted)
            ):
                wrong.append((ids[0], text))
    assert not wrong, wrong[:10]


# -- nothing bypasses it -------------------------------------------------------------------------

#: Modules whose words are not the interface's: Danish documents (letters, lists), file
#: formats, and the catalogue machinery itself.
NOT_INTERFACE = {
    "kommunestyre/i18n.py": "the catalogue machinery",
    "kommunestyre/formats.py": "dates and amounts in both languages, written out",
    "kommunestyre/letters/environment.py": "filters for the Danish letter templates",
    "kommunestyre/letters/calendar.py": "the calendar invitation inside a Danish letter",
}
TRANSLATORS = {"_", "N_", "NP_", "ngettext", "pgettext"}
PROSE = re.compile(r"[A-Za-zÆØÅæøå]{2,} [A-Za-zÆØÅæøå]{2,}")
LETTER = re.compile(r"[A-Za-zÆØÅæøå]")
#: Calls whose text arguments a coordinator reads, and the keyword arguments that are read.
SHOWN_CALLS = {"notify", "print", "Binding", "SystemCommand", "Plain", "PlainLabel", "Button",
               "Label", "Static", "add_column", "error"}  # fmt: skip
SHOWN_KEYWORDS = {"title", "label", "placeholder", "help", "prompt", "description", "tooltip",
                  "message", "severity_title"}  # fmt: skip
EXEMPT = "# not translated"


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return None


def untranslated(path: Path) -> list[str]:
    """The texts in ``path`` a coordinator may read that do not pass through the catalogue."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    skip: set[int] = set()  # ids of nodes inside _() or docstrings
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in TRANSLATORS:
            skip.update(id(n) for arg in node.args for n in ast.walk(arg))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and _text(body[0].value) is not None:
                skip.add(id(body[0].value))
        if isinstance(node, ast.Subscript):  # a key: doc["invoice"]
            skip.update(id(n) for n in ast.walk(node.slice))
        if isinstance(node, ast.Compare):  # a value compared with: mode == "overview"
            skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.JoinedStr):  # the parts of an f-string are judged as a whole
            skip.update(id(n) for n in node.values)
    shown: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in SHOWN_CALLS:
                args = node.args[2:3] if name == "Binding" else node.args
                shown.update(id(a) for a in args)
            shown.update(id(k.value) for k in node.keywords if k.arg in SHOWN_KEYWORDS)
            if name.endswith("Error"):
                shown.update(id(a) for a in node.args[-1:])
    found = []
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or id(node) in skip:
            continue
        prose = PROSE.search(text) is not None
        if not (prose or (id(node) in shown and LETTER.search(text))):
            continue
        span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
        if any(EXEMPT in line for line in span):
            continue
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        found.append(f"{where}:{node.lineno}: {text[:60]!r}")
    return found


#: Being converted (issue 10); this set empties before the issue is resolved.
PENDING: set[str] = set()
INTERFACE = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if str(p.relative_to(ROOT)) not in NOT_INTERFACE and str(p.relative_to(PACKAGE)) not in PENDING
)


@pytest.mark.parametrize("path", INTERFACE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_text_a_coordinator_reads_bypasses_the_catalogue(path: Path) -> None:
    found = untranslated(path)
    assert not found, "wrap in _() (or mark the line '# not translated: <why>'):\n" + "\n".join(
        found
    )


def test_the_lint_finds_text_outside_the_catalogue(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from kommunestyre.i18n import _\n"
        "def f(app, n):\n"
        '    """A docstring is not shown."""\n'
        '    app.notify("Saved")\n'
        '    app.notify(_("Saved"))\n'
        '    print(f"{n} free seats")\n'
        '    print(_("{n} free seats").format(n=n))\n'
        '    key = {"a b": 1}["a b"]\n'
        '    return "two words"  # not translated: a test\n',
        encoding="utf-8",
    )
    assert untranslated(sample) == ["sample.py:4: 'Saved'", "sample.py:6: ' free seats'"]
