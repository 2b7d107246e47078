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
    #: What the letter said about its cohorts (see :mod:`kommunestyre.letters.notices`): a
    #: stale letter's update names what changed. None in entries from before it was kept.
    facts: dict[str, dict[str, str]] | None = None

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
        **({"facts": d.facts} if d.facts is not None else {}),
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
        _facts(doc.get("facts")),
    )


def _facts(value: Any) -> dict[str, dict[str, str]] | None:
    """A delivery's facts as written, or None when absent (older entries) or not a mapping of
    mappings of text (a hand edit): they only serve to name what changed."""
    if not isinstance(value, dict):
        return None
    facts: dict[str, dict[str, str]] = {}
    for key, cohort in value.items():
        if not isinstance(cohort, dict):
            return None
        facts[str(key)] = {str(k): str(v) for k, v in cohort.items()}
    return facts


def invitations(deliveries: Iterable[Delivery]) -> dict[int, datetime]:
    """The municipalities whose contact was sent (or exported) an invitation: code -> the first
    time. (Exported drafts count: the coordinator sends them from their own mail program.)"""
    invited: dict[int, datetime] = {}
    for d in deliveries:
        if d.letter == "invitation" and d.recipient.startswith("contact:"):
            code = d.recipient.split(":", 1)[1]
            if code.isdigit():
                invited.setdefault(int(code), d.at)
    return invited


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


def load_for_letter(repository: Repository, letter: str) -> tuple[Register, list[Delivery]]:
    """The register, and the ledger's entries of ``letter`` and of the invitation (who was
    invited decides who some letters go to), from one read of the file."""
    register, docs = repository.load_with_ledger_docs(None)
    if letter in READS_EVERY_LETTER:
        return register, _decode_all(repository, docs)
    wanted = {letter, "invitation", "cancellation"}  # a cancellation voids earlier invitations
    return register, _decode_all(repository, [d for d in docs if d.get("letter") in wanted])


#: Letters whose recipients follow from every letter with calendar invitations that left: the
#: cancellation goes to whoever was invited to meetings they no longer attend.
READS_EVERY_LETTER = frozenset({"cancellation"})


def record(
    repository: Repository, deliveries: Iterable[Delivery], summary: str | None = None
) -> None:
    """Add deliveries to the ledger (with a line in the history, if ``summary``) in one locked,
    durable write."""
    repository.record_ledger([encode(d) for d in deliveries], summary)
