"""The programme's lists, written to a file: what the CLI's `export` and the app call."""

from __future__ import annotations

from pathlib import Path

from kommunestyre.letters.ledger import load_with_ledger
from kommunestyre.lists.listings import Listing, Selection, make_listing
from kommunestyre.lists.writers import write_listing
from kommunestyre.store.repository import Repository


def build_listing(repository: Repository, kind: str, selection: Selection) -> Listing:
    register, invitations = load_with_ledger(repository, "invitation")
    invited = {  # municipalities whose contact was sent (or exported) an invitation
        int(d.recipient.split(":", 1)[1]) for d in invitations if d.recipient.startswith("contact:")
    }
    return make_listing(kind, register, selection, invited)


def export_list(
    repository: Repository, kind: str, path: Path, selection: Selection, *, comma: bool = False
) -> Listing:
    listing = build_listing(repository, kind, selection)
    write_listing(listing, path, comma=comma)
    return listing
