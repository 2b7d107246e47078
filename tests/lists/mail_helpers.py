"""Sign-up sheets filled in as a municipality would (openpyxl, cells found by their labels),
and replies carrying them, written as an mbox or as .eml files."""

from __future__ import annotations

import io
import mailbox
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from openpyxl import load_workbook

from kommunestyre.lists.signup import FORM_SHEET, LISTS_SHEET

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

Member = Sequence[str]  # name, title, field, e-mail, phone, needs


def fill_signup(
    data: bytes,
    *,
    cohort: int | None = 2,
    members: Sequence[Member] = (),
    invoice: dict[str, str] | None = None,
    municipality: str | None = None,
) -> bytes:
    """The sheet with the cohort chosen from its drop-down list, the members typed in below the
    header, and the invoice details: as a municipality fills it in, and saves it again."""
    book = load_workbook(io.BytesIO(data))
    form, lists = book[FORM_SHEET], book[LISTS_SHEET]
    labels = {form.cell(row, 1).value: row for row in range(1, form.max_row + 1)}
    if cohort is not None:
        choices = [lists.cell(row, 4).value for row in range(2, lists.max_row + 1)]
        chosen = next(c for c in choices if c and c.startswith(f"Hold {cohort}:"))
        form.cell(labels["Hold"], 2, chosen)
    if municipality is not None:
        form.cell(labels["Kommune"], 2, municipality)
    for label, value in (invoice or {}).items():
        form.cell(labels[label], 2, value)
    row = labels["Navn"] + 1
    for member in members:
        for column, value in enumerate(member, 1):
            form.cell(row, column, value)
        row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reply(
    sender: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    *,
    subject: str = "SV: Invitation til Kommunestyret 2030",
    date: str = "Mon, 04 Jan 2027 10:00:00 +0100",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Line Vestergaard <line@komponent.example>"
    message["Subject"] = subject
    message["Date"] = date
    message.set_content("Hej Line\n\nHermed vores tilmelding.\n\nVenlig hilsen\n")
    for name, content in attachments:
        message.add_attachment(content, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return message


def write_mbox(path: Path, messages: Sequence[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    try:
        for message in messages:
            box.add(message)
        box.flush()
    finally:
        box.close()
    return path


def write_folder(folder: Path, messages: Sequence[EmailMessage]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, message in enumerate(messages, 1):
        (folder / f"{number:02d} svar.eml").write_bytes(message.as_bytes())
    return folder
