"""The programme's lists, written to a file: what the CLI's `export` and the app call."""

from __future__ import annotations

from pathlib import Path

from kommunestyre.letters.ledger import invitations, load_with_ledger
from kommunestyre.lists.listings import Listing, Selection, make_listing
from kommunestyre.lists.writers import write_listing
from kommunestyre.store.repository import Repository


def build_listing(repository: Repository, kind: str, selection: Selection) -> Listing:
    register, deliveries = load_with_ledger(repository, "invitation")
    # municipalities whose contact was sent (or exported) an invitation
    return make_listing(kind, register, selection, set(invitations(deliveries)))


def export_list(
    repository: Repository, kind: str, path: Path, selection: Selection, *, comma: bool = False
) -> Listing:
    listing = build_listing(repository, kind, selection)
    write_listing(listing, path, comma=comma)
    return listing
