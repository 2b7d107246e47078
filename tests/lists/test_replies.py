"""Each municipality's own sign-up sheet, and the replies that bring it back by mail: the sheet
as written (drop-downs, instructions, the same bytes for the same content), read back by the
importer, and mbox files and folders of .eml files imported reply by reply, with the flags
(another municipality, twice) and every defence of an import."""

from __future__ import annotations

import contextlib
import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import MunicipalityContact, Register
from kommunestyre.domain.validation import clean_text
from kommunestyre.errors import KommunestyreError
from kommunestyre.lists import replies as replies_module
from kommunestyre.lists import sheets
from kommunestyre.lists.importer import plan_import
from kommunestyre.lists.replies import MailError, is_mail_source, plan_replies, read_replies
from kommunestyre.lists.sheets import read_sheet
from kommunestyre.lists.signup import (
    FORM_SHEET,
    INSTRUCTIONS,
    LISTS_SHEET,
    signup_filename,
    signup_sheet,
)
from kommunestyre.services.imports import ImportRefused, import_replies, preview_replies
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from tests.conftest import EARLY, ENGLISH
from tests.lists.mail_helpers import XLSX, fill_signup, reply, write_folder, write_mbox
from tests.lists.test_import import PROGRAMME

AARHUS, ODENSE, VEJLE = 751, 461, 630
SOEREN = ("Søren Ærø", "Kommunaldirektør", "Kommunaldirektør", "soeren@aarhus.dk", "89402000",
          "Vegetar")  # fmt: skip
AASE = ("Åse Øster", "Direktør", "Teknik og miljø", "aase@aarhus.dk", "", "Kørestol")
INVOICE = {
    "EAN-nummer": "5798009813640",
    "CVR-nummer": "55133018",
    "Ordrereference": "PO-17",
    "Fakturakontakt": "Bo Bogholder",
    "Fakturakontaktens e-mail": "faktura@aarhus.dk",
}


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    registry = Registry(init_database(tmp_path / "db.json", clock=frozen_clock(EARLY)))
    contacts = {AARHUS: ("Søren Ærø", "soeren@aarhus.dk"), ODENSE: ("Bo Ib", "bo@odense.dk"),
                VEJLE: ("Eva Vang", "eva@vejle.dk")}  # fmt: skip
    for code, (name, email) in contacts.items():
        rev = registry.snapshot().register.contact(code).rev
        registry.edit_contact(code, rev, MunicipalityContact(code, name, "Direktør", email))
    return registry


def blank(registry: Registry, code: int) -> bytes:
    return signup_sheet(registry.snapshot().register, code, EARLY)


def aarhus_sheet(registry: Registry, **changes) -> bytes:
    options = {"members": [SOEREN, AASE], "invoice": INVOICE, **changes}
    return fill_signup(blank(registry, AARHUS), **options)


def people(registry: Registry) -> dict[str, tuple[str, int]]:
    register = registry.snapshot().register
    return {
        p.details.email: (register.directorates[p.directorate_id].municipality_code, p.cohort)
        for p in register.participants.values()
    }


# -- the sheet -----------------------------------------------------------------------------------


def test_the_sheet_is_made_for_its_municipality_with_drop_downs_and_instructions(
    registry: Registry,
) -> None:
    data = blank(registry, AARHUS)
    assert data == blank(registry, AARHUS)  # the same bytes: a letter carrying it stays current
    assert signup_filename(AARHUS) == "tilmelding-aarhus.xlsx"
    assert signup_filename(169) == "tilmelding-hoeje-taastrup.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [FORM_SHEET, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    form = book[FORM_SHEET]
    texts = [c for row in form.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Tilmelding til Kommunestyret 2030" in texts and "Aarhus Kommune" in texts
    assert all(line in texts for line in INSTRUCTIONS)
    labels = {form.cell(r, 1).value: r for r in range(1, form.max_row + 1)}
    assert form.cell(labels["Kommune"], 2).value == "Aarhus"
    header = [form.cell(labels["Navn"], c).value for c in range(1, 7)]
    assert header == ["Navn", "Titel", "Fagområde", "E-mail", "Telefon", "Kost og tilgængelighed"]
    lists = book[LISTS_SHEET]
    cohorts = [lists.cell(r, 4).value for r in range(2, 6)]
    assert cohorts[0] == "Hold 1: 24.-25.02.2027 og 21.04.2027, Kolding (frist 13.01.2027)"
    fields = [lists.cell(r, 5).value for r in range(2, 2 + len(PROGRAMME.fields))]
    assert fields == [f.label for f in PROGRAMME.fields]
    validations = {str(v.sqref): v.formula1 for v in form.data_validations.dataValidation}
    cohort_cell = form.cell(labels["Hold"], 2).coordinate
    assert validations[cohort_cell] == f"{LISTS_SHEET}!$D$2:$D$5"
    field_range = next(k for k in validations if k.startswith("C"))
    assert validations[field_range] == f"{LISTS_SHEET}!$E$2:$E${len(PROGRAMME.fields) + 1}"
    assert form.cell(labels["EAN-nummer"], 2).number_format == "@"  # 13 digits stay digits


def test_a_filled_in_sheet_reads_back_as_one_directorate(
    registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "tilmelding-aarhus.xlsx"
    path.write_bytes(aarhus_sheet(registry))
    sheet = read_sheet(path)
    assert sheet.signup is not None and sheet.signup.made_for == sheet.signup.named == AARHUS
    plan = plan_import(registry.snapshot().register, sheet)
    assert plan.clean, [str(p) for p in plan.problems]
    [group] = plan.groups
    assert (group.municipality.code, group.cohort) == (AARHUS, 2)
    assert group.invoice.ean == "5798009813640" and group.invoice.contact_name == "Bo Bogholder"
    assert group.invoice.contact_email == "faktura@aarhus.dk"
    report = registry.import_registrations(path)  # a sheet saved from a mail: the same import
    assert report.outcome == ["Aarhus admitted to hold 2 with 2 participants"]
    register = registry.snapshot().register
    soeren = next(p for p in register.participants.values() if p.details.name == "Søren Ærø")
    assert soeren.details.field == "kommunaldirektor" and soeren.details.needs == "Vegetar"
    assert soeren.details.phone == "89 40 20 00"  # as the register writes a Danish number


def test_the_blocks_problems_are_one_each_at_their_cell(registry: Registry) -> None:
    data = fill_signup(
        blank(registry, AARHUS),
        cohort=None,
        members=[SOEREN],
        invoice={"EAN-nummer": "5798009813641", "CVR-nummer": "123"},
    )
    sheet = sheets.read_sheet_bytes(data, "x.xlsx")
    plan = plan_import(registry.snapshot().register, sheet)
    problems = [str(p) for p in plan.problems]
    assert problems == [
        "row 12, column 'Hold': choose the cohort in the list",
        "row 13, column 'EAN-nummer': 5798009813641 has a wrong check digit "
        "(the last digit should be 0)",
        "row 14, column 'CVR-nummer': '123' is not a CVR number (8 digits)",
    ]  # one each, not once per member
    data = fill_signup(blank(registry, AARHUS), members=[(*SOEREN[:3], "ikke en mail")])
    plan = plan_import(registry.snapshot().register, sheets.read_sheet_bytes(data, "x.xlsx"))
    assert [str(p) for p in plan.problems] == ["row 21, column 'E-mail': 'ikke en mail' "
                                               "contains spaces"]  # fmt: skip


def test_formulas_in_a_filled_in_sheet_are_never_evaluated(registry: Registry) -> None:
    book = load_workbook(io.BytesIO(aarhus_sheet(registry)))
    form = book[FORM_SHEET]
    labels = {form.cell(r, 1).value: r for r in range(1, form.max_row + 1)}
    form.cell(labels["Navn"] + 1, 1).value = "=1+1"  # a formula (no value cached)
    text = form.cell(labels["Navn"] + 2, 1)
    text.value, text.data_type = '=HYPERLINK("http://x","klik")', "s"  # text that looks like one
    out = io.BytesIO()
    book.save(out)
    plan = plan_import(
        registry.snapshot().register, sheets.read_sheet_bytes(out.getvalue(), "f.xlsx")
    )
    names = [r.details.name for g in plan.groups for r in g.rows]
    assert "2" not in names
    assert any("name" in str(p).lower() or "navn" in str(p).lower() for p in plan.problems)
    assert '=HYPERLINK("http://x","klik")' in names  # stored as typed; lists neutralise it


# -- replies by mail -----------------------------------------------------------------------------


def test_an_mbox_of_replies_registers_each_municipality(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eva = ("Eva Vang", "Direktør", "Andet", "eva@vejle.dk", "", "")
    vejle = fill_signup(blank(registry, VEJLE), cohort=3, members=[eva])
    mbox = write_mbox(
        tmp_path / "svar.mbox",
        [
            reply(
                "Søren Ærø <soeren@aarhus.dk>", [("tilmelding-aarhus.xlsx", aarhus_sheet(registry))]
            ),
            reply("Bo Ib <bo@odense.dk>", subject="SV: Invitation – vi takker nej"),
            reply("Eva Vang <eva@vejle.dk>", [("tilmelding-vejle.xlsx", vejle)]),
        ],
    )
    db = str(registry.database.path)
    before = registry.database.path.read_bytes()
    code = main(["import", str(mbox), "--db", db, "--dry-run"], clock=frozen_clock(EARLY),
                environ=ENGLISH)  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and registry.database.path.read_bytes() == before
    assert "Reply 1: Søren Ærø <soeren@aarhus.dk>, 04.01.2027: SV: Invitation til " in out
    assert "  tilmelding-aarhus.xlsx: Aarhus" in out
    assert "row 21: adds Søren Ærø <soeren@aarhus.dk> (Aarhus, hold 2)" in out
    assert "Reply 2: Bo Ib <bo@odense.dk>" in out and "no sign-up sheet attached" in out
    assert "reply 3: Vejle admitted to hold 3 with 1 participant" in out
    assert "Import: 3 replies, 2 sheets, 3 row(s), 3 add." in out
    code = main(["import", str(mbox), "--db", db], clock=frozen_clock(EARLY), environ=ENGLISH)
    assert code == 0 and "Saved." in capsys.readouterr().out
    assert people(registry) == {"soeren@aarhus.dk": (AARHUS, 2), "aase@aarhus.dk": (AARHUS, 2),
                                "eva@vejle.dk": (VEJLE, 3)}  # fmt: skip
    [entry] = [h for h in registry.repository.history() if h.action == "import"]
    assert "svar.mbox" in entry.summary and len(entry.participants) == 3
    directorate = registry.snapshot().register.directorate_of_municipality(AARHUS)
    assert directorate is not None and directorate.invoice.reference == "PO-17"

    # the same mbox again (more replies came in): nothing is doubled
    report = preview_replies(registry, mbox)
    assert report.plan.clean and report.plan.count("duplicate") == 3


def test_a_sheet_from_another_municipality_or_twice_is_flagged_and_nothing_is_saved(
    registry: Registry, tmp_path: Path
) -> None:
    aarhus = aarhus_sheet(registry)
    changed = aarhus_sheet(registry, members=[SOEREN, AASE, ("Ny", "", "Andet", "ny@aarhus.dk")])
    vejle_says_odense = fill_signup(blank(registry, VEJLE), municipality="Odense",
                                    members=[("Eva Vang", "", "", "eva@vejle.dk")])  # fmt: skip
    messages = [
        reply("soeren@aarhus.dk", [("tilmelding-aarhus.xlsx", aarhus)]),  # 1: fine
        reply(
            "Bo Ib <bo@odense.dk>", [("tilmelding-aarhus.xlsx", changed)]
        ),  # 2: Odense sends Aarhus
        reply("sekretariat@aarhus.dk", [("kopi.xlsx", aarhus)]),  # 3: the same sheet again
        reply("soeren@aarhus.dk", [("rettet.xlsx", changed)]),  # 4: Aarhus a second time
        reply("eva@vejle.dk", [("tilmelding-vejle.xlsx", vejle_says_odense)]),  # 5: made for Vejle
    ]
    mbox = write_mbox(tmp_path / "svar.mbox", messages)
    before = registry.database.path.read_bytes()
    with pytest.raises(ImportRefused) as refused:
        import_replies(registry, mbox)
    assert registry.database.path.read_bytes() == before
    problems = refused.value.report.plan.problems
    assert problems == [
        "reply 2: tilmelding-aarhus.xlsx is for Aarhus, but bo@odense.dk belongs to Odense",
        "reply 2: Aarhus sent a sheet in reply 1 too: leave one of them out",
        "reply 3: kopi.xlsx is the same sheet as in reply 1: leave one of them out",
        "reply 4: rettet.xlsx is the same sheet as in reply 2: leave one of them out",
        "reply 5: tilmelding-vejle.xlsx was made for Vejle but names Odense",
        "reply 5: tilmelding-vejle.xlsx is for Odense, but eva@vejle.dk belongs to Vejle",
    ]
    # the domain is enough to suggest the municipality (3 is from aarhus.dk: no flag of its own)
    # leave out every reply but the corrected one from Aarhus itself
    report = import_replies(registry, mbox, exclude=[1, 2, 3, 5])
    assert report.saved and report.plan.excluded == [1, 2, 3, 5]
    assert set(people(registry)) == {"soeren@aarhus.dk", "aase@aarhus.dk", "ny@aarhus.dk"}


def test_excluding_replies_from_the_command_line(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aarhus = aarhus_sheet(registry)
    twice = [reply("soeren@aarhus.dk", [(name, aarhus)]) for name in ("a.xlsx", "b.xlsx")]
    mbox = write_mbox(tmp_path / "svar.mbox", twice)
    db = str(registry.database.path)
    run = lambda *extra: main(["import", str(mbox), "--db", db, *extra],  # noqa: E731
                              clock=frozen_clock(EARLY), environ=ENGLISH)  # fmt: skip
    assert run() == 3
    out = capsys.readouterr().out
    assert "problem: b.xlsx is the same sheet as in reply 1" in out
    assert (
        "Nothing was imported: correct the sheets, or leave replies out with --exclude-replies"
        in out
    )
    assert run("--exclude-rows", "2") not in (0, 3)  # a reply's rows are not left out singly
    assert "--exclude-replies" in capsys.readouterr().err
    assert run("--exclude-replies", "2,9") == 0
    out = capsys.readouterr().out
    assert "Reply 2: soeren@aarhus.dk" in out and "left out" in out
    assert "note: there is no reply 9 to leave out" in out and "Saved." in out
    sheet = tmp_path / "ark.csv"
    sheet.write_text("Kommune;Hold;Navn;E-mail\r\n", encoding="utf-8")
    code = main(["import", str(sheet), "--db", db, "--exclude-replies", "1"],
                clock=frozen_clock(EARLY), environ=ENGLISH)  # fmt: skip
    assert code not in (0, 3)
    assert "--exclude-replies is for replies by mail" in capsys.readouterr().err


def test_a_folder_of_eml_files_with_odd_attachments(registry: Registry, tmp_path: Path) -> None:
    aarhus = aarhus_sheet(registry)
    odd_names = reply("soeren@aarhus.dk")
    odd_names.add_attachment(aarhus, maintype=XLSX[0], subtype=XLSX[1],
                             filename=("utf-8", "", "tilmelding-Århus\u202e.xlsx"))  # fmt: skip
    outlook = reply("eva@vejle.dk")
    outlook.add_attachment(b"\x78\x9f\x3e\x22" + bytes(100), maintype="application",
                           subtype="ms-tnef", filename="winmail.dat")  # fmt: skip
    nameless = reply("eva@vejle.dk")
    vejle = fill_signup(blank(registry, VEJLE), members=[("Eva", "", "", "eva@vejle.dk")])
    nameless.add_attachment(vejle, maintype=XLSX[0], subtype=XLSX[1])  # a sheet by its type only
    slashes = reply("bo@odense.dk")
    odense = fill_signup(blank(registry, ODENSE), members=[("Bo Ib", "", "", "bo@odense.dk")])
    slashes.add_attachment(odense, maintype="application", subtype="octet-stream",
                           filename="..\\..\\Windows\\tilmelding.XLSX")  # fmt: skip
    pdf = reply("bo@odense.dk")
    pdf.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="x.pdf")
    folder = write_folder(tmp_path / "svar", [odd_names, outlook, nameless, slashes, pdf])
    (folder / "gammel.msg").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "noter.txt").write_text("ikke en mail")
    assert is_mail_source(folder)
    report = preview_replies(registry, folder)
    lines = "\n".join(line.text for line in report.plan.report_lines())
    assert report.plan.clean, report.plan.problems
    assert "tilmelding-Århus .xlsx: Aarhus" in lines  # the direction mark is not obeyed
    assert "Outlook sent the attachments as winmail.dat" in lines
    assert "attachment 1.xlsx: Vejle" in lines
    assert "tilmelding.XLSX: Odense" in lines and "Windows" not in lines
    assert lines.count("no sign-up sheet attached") == 2  # winmail.dat and the PDF
    assert "1 .msg file (Outlook's own format) was not read" in lines
    assert "file 01 svar.eml" in lines
    report = import_replies(registry, folder)
    assert set(people(registry)) == {"soeren@aarhus.dk", "aase@aarhus.dk", "eva@vejle.dk",
                                     "bo@odense.dk"}  # fmt: skip


def test_an_unknown_sender_is_noted_not_flagged(registry: Registry, tmp_path: Path) -> None:
    private = reply("Søren <soeren.privat@gmail.com>", [("t.xlsx", aarhus_sheet(registry))])
    mbox = write_mbox(tmp_path / "svar.mbox", [private])
    report = preview_replies(registry, mbox)
    assert report.plan.clean
    assert "soeren.privat@gmail.com is not an address the register knows" in "\n".join(
        report.plan.warnings + [n for r in report.plan.replies for n in r.notes]
    )


def test_a_blank_sheet_sent_back_is_left_aside(registry: Registry, tmp_path: Path) -> None:
    back = reply("bo@odense.dk", [("tilmelding-odense.xlsx", blank(registry, ODENSE))])
    mbox = write_mbox(tmp_path / "svar.mbox", [back])
    report = preview_replies(registry, mbox)
    text = "\n".join(line.text for line in report.plan.report_lines())
    assert report.plan.clean and "nothing filled in" in text and "no sign-up sheet" in text


# -- hostile mail --------------------------------------------------------------------------------


def test_broken_and_oversized_attachments_are_problems_of_their_reply(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aarhus = aarhus_sheet(registry)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in zipfile.ZipFile(io.BytesIO(aarhus)).namelist():
            archive.writestr(name, zipfile.ZipFile(io.BytesIO(aarhus)).read(name))
        archive.writestr("xl/media/nuller.bin", bytes(5_000_000))  # unpacks to 5 MB
    messages = [
        reply("soeren@aarhus.dk", [("bombe.xlsx", bomb.getvalue())]),
        reply("bo@odense.dk", [("falsk.xlsx", b"PK\x03\x04 ikke et regneark")]),
        reply("bo@odense.dk", [("gammel.xls", b"\xd0\xcf\x11\xe0")]),
        reply("eva@vejle.dk", [("tom.xlsx", b"")]),
    ]
    mbox = write_mbox(tmp_path / "svar.mbox", messages)
    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1_000_000)
    report = preview_replies(registry, mbox)
    problems = report.plan.problems
    assert problems[0].startswith("reply 1: bombe.xlsx: bombe.xlsx unpacks to")
    assert problems[1].startswith("reply 2: falsk.xlsx: falsk.xlsx is not a readable XLSX")
    assert problems[2] == "reply 3: gammel.xls: gammel.xls: save it as .xlsx or .csv first"
    assert problems[3] == "reply 4: tom.xlsx: the attachment is empty"
    monkeypatch.setattr(replies_module, "MAX_MESSAGE_BYTES", 2000)
    report = preview_replies(registry, mbox)
    assert report.plan.problems[0] == (
        "reply 1: the message is larger than 0 MB; save its sheet and import that"
    )


def test_files_that_are_no_mailbox_give_one_clear_line(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "svar.mbox"
    garbage.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(MailError, match="holds no messages"):
        read_replies(garbage)
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(MailError, match=r"holds no \.eml files"):
        read_replies(empty)
    code = main(["import", str(garbage), "--db", str(registry.database.path)],
                clock=frozen_clock(EARLY), environ=ENGLISH)  # fmt: skip
    out, err = capsys.readouterr()
    assert code != 0 and "holds no messages" in err and "Traceback" not in out + err
    monkeypatch = pytest.MonkeyPatch()
    with monkeypatch.context() as patch:
        patch.setattr(replies_module, "MAX_MAILBOX_BYTES", 100)
        with pytest.raises(MailError, match="at most 0 MB"):
            read_replies(garbage)


def test_hostile_headers_and_names_are_shown_as_one_tidy_line(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.tui.test_plain_text import hostile_values

    messages = []
    for value in hostile_values()[:60]:
        message = EmailMessage()
        try:
            message["From"] = f"{value} <x@aarhus.dk>"
            message["Subject"] = value
        except Exception:  # the standard library refuses to write it: a raw header then
            del message["From"], message["Subject"]
            message["From"] = "x@aarhus.dk"
        message.set_content("hej")
        with contextlib.suppress(Exception):
            message.add_attachment(
                b"PK\x03\x04", maintype=XLSX[0], subtype=XLSX[1], filename=value + ".xlsx"
            )
        messages.append(message)
    mbox = write_mbox(tmp_path / "svar.mbox", messages)
    code = main(["import", str(mbox), "--db", str(registry.database.path), "--dry-run"],
                clock=frozen_clock(EARLY), environ=ENGLISH)  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 3 and err == "" and "Traceback" not in out
    assert not any(c in out for c in "\x1b\x00\x07\u202e\u2028")


RAW = st.one_of(
    st.binary(max_size=600),
    st.lists(
        st.sampled_from([b"From: a@b.dk\r\n", b"Content-Type: multipart/mixed; boundary=x\r\n",
                         b"--x\r\n",
                         b"Content-Disposition: attachment; filename*=utf-8''%FF.xlsx\r\n",
                         b"Content-Transfer-Encoding: base64\r\n", b"\r\n", b"UEsDBA==\r\n",
                         b"Subject: =?utf-8?b?w6bDuMOl?=\r\n", b"Content-Type: message/rfc822\r\n",
                         b"filename=\"=?utf-8?q?=C3=A6?=.xlsx\"\r\n", b"--x--\r\n", b"\x00"]),
        max_size=30,
    ).map(b"".join),
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=RAW)
def test_random_messages_never_crash_the_reader(data: bytes) -> None:
    message = replies_module._read_message(1, data)
    register = Register(programme=PROGRAMME)
    plan = plan_replies(register, [message], EARLY, source="x.mbox")
    for line in plan.report_lines():
        assert isinstance(line.text, str)
    assert isinstance(plan.summary(), str)


def test_preview_errors_are_kommunestyre_errors(tmp_path: Path, registry: Registry) -> None:
    with pytest.raises(KommunestyreError):
        preview_replies(registry, tmp_path / "findes-ikke.mbox")


def test_hostile_values_in_a_returned_sheet_import_as_typed_or_refuse_the_reply(
    registry: Registry, tmp_path: Path
) -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    from tests.tui.test_plain_text import hostile_values

    empty = blank(registry, AARHUS)
    path = registry.database.path
    for number, value in enumerate(hostile_values()[:50]):
        member = ("Søren Ærø", value, "Kommunaldirektør", "soeren@aarhus.dk", "", value)
        try:
            data = fill_signup(empty, members=[member], invoice={"Ordrereference": value})
        except IllegalCharacterError:  # no spreadsheet can hold it: nothing to send back
            continue
        mbox = write_mbox(
            tmp_path / f"svar{number}.mbox", [reply("soeren@aarhus.dk", [("t.xlsx", data)])]
        )
        before = path.read_bytes()
        try:
            report = import_replies(registry, mbox)
        except ImportRefused as refused:
            assert path.read_bytes() == before
            assert all(isinstance(p, str) and p for p in refused.report.plan.problems)
            continue
        register = registry.snapshot().register
        directorate = register.directorate_of_municipality(AARHUS)
        assert report.saved and directorate is not None
        [person] = register.members(directorate.id)
        # a value that starts with = is a formula to openpyxl: read as its value (none cached)
        expected = "" if value.startswith("=") else clean_text(value.strip(), "title")
        assert person.details.title == expected
        registry.erase_directorate(directorate.id, directorate.rev)


def test_the_attachment_an_invitation_carries(registry: Registry) -> None:
    from kommunestyre.lists.signup import XLSX_TYPE, signup_attachment

    name, kind, data = signup_attachment(registry.snapshot().register, AARHUS, EARLY)
    assert (name, kind) == ("tilmelding-aarhus.xlsx", XLSX_TYPE) and data == blank(registry, AARHUS)
