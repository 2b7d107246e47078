"""Issue 11, done when: the municipalities' contacts come in bulk from a sheet, the invitation
goes out (exported as .eml) with each municipality's own sign-up sheet, a municipality fills
the sheet in and sends it back attached to a reply, and ``kommunestyre import REPLIES.mbox``
registers its directorate."""

from __future__ import annotations

import csv
import io
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.domain.municipalities import all_municipalities
from kommunestyre.lists.signup import signup_filename
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, ENGLISH
from tests.lists.mail_helpers import XLSX, fill_signup, reply, write_mbox

AARHUS = 751


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args), clock=frozen_clock(EARLY), environ=ENGLISH)
    out, err = capsys.readouterr()
    return code, out, err


def contacts_sheet(path: Path) -> Path:
    """A contact for each of the 98 municipalities, as a coordinator's spreadsheet has them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Kommune", "Navn", "Titel", "E-mail"])
    for m in all_municipalities():
        slug = signup_filename(m.code).removeprefix("tilmelding-").removesuffix(".xlsx")
        writer.writerow([m.name, f"Direktør {m.name}", "Kommunaldirektør", f"direktor@{slug}.dk"])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def attached_sheets(eml: Path) -> dict[str, bytes]:
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    return {
        str(part.get_filename()): part.get_payload(decode=True)
        for part in message.iter_attachments()
        if part.get_content_type() == "/".join(XLSX)
    }


def test_invitation_sheet_reply_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "programme.json"
    init_database(db, clock=frozen_clock(EARLY))

    # 1. the contacts, in bulk: every invitation now has someone to go to
    code, out, _ = run(capsys, "import", "--contacts", str(contacts_sheet(tmp_path / "k.csv")),
                       "--db", str(db))  # fmt: skip
    assert code == 0 and "Import: 98 row(s), 98 new contacts." in out

    # 2. the invitation, exported as .eml files
    code, out, err = run(capsys, "letters", "export", "invitation", "--db", str(db),
                         "--format", "eml", "--out", str(tmp_path / "invitationer"))  # fmt: skip
    assert code == 0, out + err
    emls = sorted((tmp_path / "invitationer").glob("*.eml"))
    assert len(emls) == 98
    to_aarhus = next(
        e for e in emls if "direktor@aarhus.dk" in e.read_text("utf-8", errors="replace")
    )
    sheets = attached_sheets(to_aarhus)  # the invitation carries Aarhus's own sheet
    assert list(sheets) == ["tilmelding-aarhus.xlsx"]
    blank = sheets["tilmelding-aarhus.xlsx"]

    # 3. Aarhus fills it in with openpyxl and replies; an unrelated mail is in the box too
    members = [
        ("Søren Ærø", "Kommunaldirektør", "Kommunaldirektør", "soeren@aarhus.dk", "", ""),
        ("Åse Øster", "Direktør", "Børn, unge og kultur", "aase@aarhus.dk", "", "Vegetar"),
    ]
    filled = fill_signup(blank, cohort=1, members=members, invoice={"EAN-nummer": "5798009813640"})
    mbox = write_mbox(
        tmp_path / "svar.mbox",
        [
            reply("Ukendt <nyhedsbrev@example.com>"),
            reply("Direktør Aarhus <direktor@aarhus.dk>", [("tilmelding-aarhus.xlsx", filled)]),
        ],
    )

    # 4. the import registers the directorate
    code, out, _ = run(capsys, "import", str(mbox), "--db", str(db))
    assert code == 0, out
    assert "Reply 2: Direktør Aarhus <direktor@aarhus.dk>" in out
    assert "reply 2: Aarhus admitted to hold 1 with 2 participants" in out and "Saved." in out
    register = Registry(Repository(Database(db), clock=frozen_clock(EARLY))).snapshot().register
    directorate = register.directorate_of_municipality(AARHUS)
    assert directorate is not None and directorate.cohort == 1
    assert directorate.invoice.ean == "5798009813640"
    assert sorted(p.details.email for p in register.members(directorate.id)) == [
        "aase@aarhus.dk",
        "soeren@aarhus.dk",
    ]


def test_the_invitation_carries_its_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "programme.json"
    init_database(db, clock=frozen_clock(EARLY))
    run(capsys, "import", "--contacts", str(contacts_sheet(tmp_path / "k.csv")), "--db", str(db))
    code, _out, _err = run(capsys, "letters", "export", "invitation", "--db", str(db),
                           "--format", "eml", "--out", str(tmp_path / "inv"))  # fmt: skip
    assert code == 0
    for eml in (tmp_path / "inv").glob("*.eml"):
        sheets = attached_sheets(eml)
        assert len(sheets) == 1 and next(iter(sheets)).startswith("tilmelding-")
