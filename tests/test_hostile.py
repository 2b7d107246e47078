"""The hostile corpus (``../shared/hostile/strings.json`` and the project's own cases) through
every way data gets in and out: validators, the registry, sign-up sheets, command-line
arguments, the programme definition, templates; lists, letters, headers and file names.

For each value the program stores it and gives it back as typed, or refuses it naming the
field. Never a traceback, never a half-saved change.
"""

from __future__ import annotations

import email
import email.policy
import json
import mailbox
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.definition import load_programme
from kommunestyre.domain import validation
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.letters.catalogue import Filters
from kommunestyre.lists.listings import Selection
from kommunestyre.services.letters import LetterService
from kommunestyre.services.lists import export_list
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY
from tests.tui.test_plain_text import hostile_values

VALUES = hostile_values()
IDS = [f"{i:02d}-{re.sub(r'[^a-z0-9]+', '-', repr(v)[:18].lower()).strip('-')}"
       for i, v in enumerate(VALUES)]  # fmt: skip
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

pytestmark = pytest.mark.parametrize("value", VALUES, ids=IDS)


# -- in: validators ------------------------------------------------------------------------------

CHECKS = {
    "name": validation.require_name,
    "text": lambda v: validation.clean_text(v, "title"),
    "note": lambda v: validation.clean_note(v, "notes"),
    "email": validation.validate_email,
    "phone": validation.validate_phone,
    "ean": validation.validate_ean,
    "cvr": validation.validate_cvr,
    "date": lambda v: validation.parse_day(v, "date"),
    "time": lambda v: validation.parse_clock(v, "time"),
    "number": lambda v: validation.parse_whole(v, "number"),
    "municipality": find_municipality,
}


def test_every_validator_accepts_cleanly_or_names_the_field(value: str) -> None:
    for name, check in CHECKS.items():
        try:
            result = check(value)
        except ValidationError as error:
            assert error.field and error.message, name
            assert len(str(error)) < 400, f"{name}: the message repeats a huge value"
            continue
        if isinstance(result, str):
            assert not CONTROL.search(result.replace("\n", "")), f"{name} let a control through"


# -- in: the registry and a sign-up sheet ---------------------------------------------------------


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(init_database(tmp_path / "programme.json", clock=frozen_clock(EARLY)))


MEMBER_FIELDS = ("name", "title", "email", "phone", "needs", "notes")
INVOICE_FIELDS = ("ean", "cvr", "reference", "contact_name", "contact_email")


def test_the_registry_stores_as_typed_or_refuses_and_changes_nothing(
    value: str, registry: Registry
) -> None:
    path = registry.database.path
    for field in (*MEMBER_FIELDS, *INVOICE_FIELDS):
        member = {"name": "Ole Hansen", "field": "kommunaldirektor", "email": "ole@aarhus.dk"}
        invoice: dict[str, str] = {}
        (member if field in MEMBER_FIELDS else invoice)[field] = value
        before = path.read_bytes()
        try:
            registry.register_directorate(
                "Aarhus", 1, [ParticipantDetails(**member)], InvoiceDetails(**invoice)
            )
        except KommunestyreError as error:
            assert path.read_bytes() == before, field
            assert str(error)
            continue
        register = registry.snapshot().register
        [person] = register.participants.values()
        stored = getattr(person.details, field, None) or getattr(
            register.directorate_of_municipality(751).invoice,
            field,
            "",  # type: ignore[union-attr]
        )
        assert (
            stored == validation.clean_note(value, field)
            or stored.replace(" ", "")
            in (
                value.replace(" ", ""),
                value.strip().replace(" ", "").upper().removeprefix("DK"),
            )
            or field == "phone"
        )
        directorate = register.directorate_of_municipality(751)
        assert directorate is not None
        registry.erase_directorate(directorate.id, directorate.rev)


def test_a_sheet_with_the_value_in_any_column_imports_or_is_refused_whole(
    value: str, registry: Registry, tmp_path: Path
) -> None:
    headers = ["Kommune", "Hold", "Navn", "Titel", "Fagområde", "E-mail", "Telefon", "Kost",
               "EAN", "CVR", "Reference", "Noter"]  # fmt: skip
    plain = ["Aarhus", "1", "Ole Hansen", "", "", "ole@aarhus.dk", "", "", "", "", "", ""]
    path = registry.database.path
    for column in range(len(headers)):
        cells = list(plain)
        cells[column] = value
        sheet = tmp_path / f"ark{column}.csv"
        quoted = ['"' + c.replace('"', '""') + '"' for c in cells]
        sheet.write_bytes((";".join(headers) + "\r\n" + ";".join(quoted) + "\r\n").encode(
            "utf-8", "surrogatepass"
        ))  # fmt: skip
        before = path.read_bytes()
        try:
            registry.preview_import(sheet)
            report = registry.import_registrations(sheet)
        except KommunestyreError as error:
            assert path.read_bytes() == before, headers[column]
            assert str(error)
            continue
        assert report.saved or report.plan.count("duplicate")
        register = registry.snapshot().register
        for directorate in list(register.directorates.values()):
            if register.is_registered(directorate.id):
                registry.erase_directorate(directorate.id, directorate.rev)


ARGUMENTS = [
    ["move", "{v}", "--to", "2"],
    ["move", "tina.kristensen@kolding.kommune.example", "--to", "{v}"],
    ["headcount", "--cohort", "{v}"],
    ["import", "{v}", "--dry-run"],
    ["export", "participants", "--out", "{tmp}/{v}"],
    ["letters", "preview", "{v}"],
    ["letters", "preview", "waitlist", "--to", "{v}"],
    ["substitute", "tina.kristensen@kolding.kommune.example", "--name", "{v}", "--email",
     "vikar@kolding.dk", "--dry-run"],
]  # fmt: skip


def test_command_line_arguments_never_print_a_traceback(
    value: str, demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = demo_db.read_bytes()
    for args in ARGUMENTS:
        argv = [a.format(v=value, tmp=tmp_path) for a in args]
        try:
            code = main([*argv, "--db", str(demo_db)], clock=frozen_clock(EARLY))
        except SystemExit as stop:  # argparse refusing an option value
            code = int(stop.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err and code != 70, argv
        assert not CONTROL.search(out + err), argv  # echoed as data, never obeyed
        if code:
            assert (err or out).strip(), argv  # the reason (an import's report is on stdout)
    assert demo_db.read_bytes() == before  # the dry runs and refusals changed nothing


def test_the_programme_definition_loads_or_names_the_file_and_key(
    value: str, tmp_path: Path
) -> None:
    from kommunestyre.resources import cohorts_dir

    folder = tmp_path / "cohorts"
    shutil.copytree(cohorts_dir(), folder)
    text = (folder / "hold-1.toml").read_text("utf-8")
    escaped = json.dumps(value).replace("\\/", "/")
    (folder / "hold-1.toml").write_text(
        text.replace('name = "Hotel Koldingfjord"', f"name = {escaped}", 1), "utf-8"
    )
    try:
        programme = load_programme(folder)
    except KommunestyreError as error:
        assert "hold-1.toml" in str(error)
        return
    # The venue is stored as any other name: trimmed and in one Unicode form (NFC).
    assert programme.cohort(1).seminar.venue.name == unicodedata.normalize("NFC", value.strip())


def test_a_template_made_of_the_value_renders_or_is_reported(
    value: str, demo_db: Path, tmp_path: Path
) -> None:
    (tmp_path / "waitlist.txt").write_text(value, "utf-8", errors="surrogatepass")
    service = LetterService(Repository(Database(demo_db), clock=frozen_clock(EARLY)), tmp_path)
    batch = service.prepare("waitlist")
    for letter in batch.letters:
        assert letter.problems or letter.text is not None


# -- out: lists, letters, headers and file names, from data that got past the validators -------


@pytest.fixture
def hostile_db(demo_db: Path, value: str) -> Path:
    """The demo, with the value in every text a person has (as a hand edit could leave it)."""
    repository = Repository(Database(demo_db))
    with repository.change() as change:
        for p in change.register.participants.values():
            if p.cohort == 4:
                p.details = p.details._replace(name=value, title=value, needs=value, notes=value)
        for d in change.register.directorates.values():
            d.invoice = d.invoice._replace(reference=value, contact_name=value)
    return demo_db


def test_lists_hold_the_value_as_text(value: str, hostile_db: Path, tmp_path: Path) -> None:
    repository = Repository(Database(hostile_db), clock=frozen_clock(EARLY))
    for suffix in (".csv", ".xlsx", ".md"):
        export_list(repository, "participants", tmp_path / f"l{suffix}", Selection(cohort=4))
        export_list(repository, "invoices", tmp_path / f"f{suffix}", Selection())
    book = load_workbook(tmp_path / "l.xlsx", read_only=True)
    for row in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        assert row[1] is None or not str(row[1]).startswith(("=", "+", "-", "@"))
    csv_text = (tmp_path / "l.csv").read_text("utf-8-sig", errors="replace")
    for line in csv_text.splitlines()[1:]:
        assert not line.split(";")[1].strip('"').startswith(("=", "+", "@"))


def test_letters_never_carry_the_value_into_a_header(
    value: str, hostile_db: Path, tmp_path: Path
) -> None:
    service = LetterService(Repository(Database(hostile_db), clock=frozen_clock(EARLY)))
    batch = service.prepare("practical", Filters(cohort=4))
    if batch.clean:
        report = service.export(batch, tmp_path / "eml", "eml")
        names = [f.name for f in report.files]
        assert all(re.fullmatch(r"[a-z0-9.-]+", n) for n in names)
        for path in report.files:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert message["Bcc"] is None and "Bcc" not in str(message["To"])
            assert message["To"].addresses[0].display_name.strip() == value.strip()
    else:  # refused with a reason, by recipient
        assert all(x.problems for x in batch.errors)
    for key in ("confirmation", "waitlist"):
        batch = service.prepare(key)
        if batch.clean and batch.outgoing:
            service.export(batch, tmp_path / key, "mbox")
            for message in mailbox.mbox(tmp_path / key / "letters.mbox"):
                assert message["Bcc"] is None
