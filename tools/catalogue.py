"""Keeps the Danish catalogue in step with the code (a developer's tool; needs Babel).

    python tools/catalogue.py update          # new messages into the .po, then compile
    python tools/catalogue.py merge A.po ...  # take translations from other .po files
    python tools/catalogue.py missing         # messages still without Danish text
    python tools/catalogue.py compile         # .po -> .mo (shipped in the wheel)

Messages are found with Babel's extractor (``_``, ``N_``, ``ngettext``, ``pgettext``) in
``kommunestyre/`` plus ``tools/argparse_messages.py`` (the standard library's command-line
words, which the CLI translates too). ``tests/test_i18n.py`` uses the same functions to check
that nothing is missing and the compiled file is current.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kommunestyre"
ARGPARSE = ROOT / "tools" / "argparse_messages.py"
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}  # see kommunestyre/i18n.py
PO_FILE = PACKAGE / "locale" / "da" / "LC_MESSAGES" / "kommunestyre.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def template() -> Catalog:
    """Every message the code asks for, with where it is asked."""
    catalog = Catalog(project="kommunestyre", fuzzy=False)
    found = [
        (str(Path("kommunestyre") / name), line, message, comments, context)
        for name, line, message, comments, context in extract_from_dir(
            PACKAGE, [("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        )
    ]
    found += [
        ("tools/argparse_messages.py", line, message, comments, context)
        for line, message, comments, context in extract_from_file(
            "python", ARGPARSE, keywords=KEYWORDS
        )
    ]
    for where, line, message, comments, context in found:
        msgid = message if isinstance(message, str) else tuple(message)
        catalog.add(msgid, locations=[(where, line)], auto_comments=comments, context=context)
    return catalog


def read() -> Catalog:
    with PO_FILE.open("rb") as file:
        return read_po(file, locale="da", domain="kommunestyre")


def write(catalog: Catalog) -> None:
    catalog.fuzzy = False
    catalog.project, catalog.version = "kommunestyre", "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "kommunestyre"
    catalog.language_team = "Dansk"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=True, omit_header=False)
    PO_FILE.write_bytes(buffer.getvalue())
    MO_FILE.write_bytes(compiled(catalog))


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def missing(catalog: Catalog) -> list[str]:
    """The messages with no Danish text (or a fuzzy guess nobody checked)."""
    return [str(m.id) for m in catalog if m.id and (m.fuzzy or not all(_texts(m.string)))]


def _texts(string: object) -> list[str]:
    return list(string) if isinstance(string, tuple | list) else [str(string or "")]


def update() -> Catalog:
    catalog = read() if PO_FILE.exists() else Catalog(locale="da", project="kommunestyre")
    catalog.update(template(), no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    write(catalog)
    return catalog


def merge(paths: list[str]) -> Catalog:
    catalog = update()
    for path in paths:
        with open(path, "rb") as file:
            other = read_po(file, locale="da")
        for message in other:
            if not message.id or not all(_texts(message.string)):
                continue
            mine = catalog.get(message.id, context=message.context)
            if mine is not None:
                mine.string = message.string
                mine.flags.discard("fuzzy")
    write(catalog)
    return catalog


def main(argv: list[str]) -> int:
    command, *rest = argv or ["update"]
    if command == "update":
        catalog = update()
    elif command == "merge":
        catalog = merge(rest)
    elif command == "compile":
        catalog = read()
        MO_FILE.write_bytes(compiled(catalog))
    elif command == "missing":
        catalog = read()
    else:
        print(__doc__)
        return 2
    gaps = missing(catalog)
    for message in gaps:
        print(f"no Danish text: {message!r}")
    where = PO_FILE.relative_to(ROOT)
    print(f"{len(catalog)} messages, {len(gaps)} without Danish text -> {where}")
    return 1 if gaps and command == "missing" else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
