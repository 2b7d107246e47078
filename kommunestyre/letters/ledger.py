"""The ledger: which letter went to whom, when, how, and with what content.

The store keeps the ledger's entries as plain documents (it knows nothing of letters); this
module gives them their meaning. A delivery's ``content_hash`` is what makes a letter *stale*
when the data behind it changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kommunestyre.domain.model import Register
from kommunestyre.store.repository import Repository, unreadable_is_corrupt

#: A letter written to a file, to be sent from the coordinator's own mail program.
EXPORTED = "exported"
#: A letter a mail server accepted, or one the coordinator marked as sent.
SENT = "sent"
#: The connection dropped while the server was receiving it: it may or may not have arrived.
UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One letter that left: exported to a file (a draft), sent, or perhaps sent."""

    letter: str
    recipient: str  # "participant:12", "directorate:3", "contact:751"
    email: str
    cohort: int | None
    content_hash: str
    channel: str  # "eml", "mbox", "smtp" or "marked" (marked as sent by the coordinator)
    at: datetime
    message_id: str
    where: str  # the file, or the SMTP server
    status: str = SENT

    @property
    def sent(self) -> bool:
        """The recipient has it (or may have it): never sent again without --resend."""
        return self.status != EXPORTED


def encode(d: Delivery) -> dict[str, Any]:
    return {
        "letter": d.letter,
        "recipient": d.recipient,
        "email": d.email,
        "cohort": d.cohort,
        "hash": d.content_hash,
        "channel": d.channel,
        "at": d.at.isoformat(),
        "message_id": d.message_id,
        "where": d.where,
        "status": d.status,
    }


def decode(doc: dict[str, Any]) -> Delivery:
    return Delivery(
        doc["letter"],
        doc["recipient"],
        doc["email"],
        doc["cohort"],
        doc["hash"],
        doc["channel"],
        datetime.fromisoformat(doc["at"]),
        doc["message_id"],
        doc["where"],
        # entries from before states were kept: an export counted as delivered then
        doc.get("status") or (EXPORTED if doc["channel"] in ("eml", "mbox") else SENT),
    )


def _decode_all(repository: Repository, docs: list[dict[str, Any]]) -> list[Delivery]:
    with unreadable_is_corrupt(repository.database.path):
        return [decode(doc) for doc in docs]


def read_ledger(repository: Repository, letter: str | None = None) -> list[Delivery]:
    """Every letter delivered (or only those of one ``letter``), oldest first."""
    return _decode_all(repository, repository.ledger_docs(letter))


def load_with_ledger(
    repository: Repository, letter: str | None = None
) -> tuple[Register, list[Delivery]]:
    """The register and the ledger (or one letter's part of it), from one read of the file."""
    register, docs = repository.load_with_ledger_docs(letter)
    return register, _decode_all(repository, docs)


def record(
    repository: Repository, deliveries: Iterable[Delivery], summary: str | None = None
) -> None:
    """Add deliveries to the ledger (with a line in the history, if ``summary``) in one locked,
    durable write."""
    repository.record_ledger([encode(d) for d in deliveries], summary)
