"""The domain's view of the database: load a :class:`Register`, change it, keep a history.

A change works like this::

    with repository.change() as change:
        change.expect("participant", 12, rev)       # optional: refuse stale edits
        outcome = rules.cancel_participant(change.register, 12, change.now)
        change.log("cancel", outcome.summary, participants=[12])

On leaving the block, every record whose encoding differs from what was read is written with
its revision bumped, in one atomic write under the lock. An exception inside the block writes
nothing.
"""

from __future__ import annotations

import decimal
import getpass
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from tinydb import TinyDB
from tinydb.table import Document

from kommunestyre import i18n
from kommunestyre.clock import Clock, system_clock
from kommunestyre.domain import integrity, invoicing, rules
from kommunestyre.domain.model import Directorate, Participant, Programme, Register
from kommunestyre.errors import ConflictError, CorruptDatabase
from kommunestyre.i18n import N_, _
from kommunestyre.store import codec
from kommunestyre.store.database import Database, Tables
from kommunestyre.store.migrations import empty_contacts
from kommunestyre.store.storage import gc_paused

SETTINGS_ID = 1
#: What an erased person's history entries and ledger entries say instead (in the language in
#: use when the erasure is made, like the rest of the history).
ERASED_SUMMARY = N_("(entry about a person whose data was erased)")
ERASED_WHERE = N_("(erased)")

RecordKind = Literal["cohort", "directorate", "participant", "contact"]
_TABLES = ("cohorts", "directorates", "participants", "contacts", "invoices")
_TABLE_OF: dict[str, str] = {
    "cohort": "cohorts",
    "directorate": "directorates",
    "participant": "participants",
    "contact": "contacts",
}
#: A record someone else removed, or changed, while it was being edited: by kind.
_REMOVED: dict[str, str] = {
    "cohort": N_("the cohort you were editing has been removed by someone else"),
    "directorate": N_("the directorate you were editing has been removed by someone else"),
    "participant": N_("the participant you were editing has been removed by someone else"),
    "contact": N_("the contact you were editing has been removed by someone else"),
}
_CHANGED: dict[str, str] = {
    "cohort": N_(
        "the cohort you were editing was changed by someone else in the meantime; "
        "the data has been reloaded, please make your change again"
    ),
    "directorate": N_(
        "the directorate you were editing was changed by someone else in the meantime; "
        "the data has been reloaded, please make your change again"
    ),
    "participant": N_(
        "the participant you were editing was changed by someone else in the meantime; "
        "the data has been reloaded, please make your change again"
    ),
    "contact": N_(
        "the contact you were editing was changed by someone else in the meantime; "
        "the data has been reloaded, please make your change again"
    ),
}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    at: datetime
    user: str
    action: str
    summary: str
    participants: tuple[int, ...] = ()
    directorates: tuple[int, ...] = ()
    about: tuple[str, ...] = ()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getuser raises whatever the platform's look-up raises
        return "unknown"


def seed_tables(programme: Programme) -> Tables:
    """The tables of a new database holding ``programme`` and nobody registered yet."""
    return {
        "programme": {str(SETTINGS_ID): codec.encode_settings(programme)},
        "cohorts": {str(c.number): codec.encode_cohort(c) for c in programme.cohorts},
        "directorates": {},
        "participants": {},
        "contacts": empty_contacts(),
        "counters": {str(SETTINGS_ID): {"directorate": 1, "participant": 1, "seq": 1}},
        "history": {},
        "ledger": {},
        "invoices": {},
    }


class _RecordMemo:
    """Each record's decoded state, keyed by the raw document it was decoded from.

    A transaction that reuses the tables of the previous one (see :class:`Database`) finds most
    documents to be the very same objects as last time; their records are rebuilt from the
    remembered field values instead of being decoded again. Every transaction still gets new
    record objects, so nothing a caller does to one transaction's records reaches the next.
    The memo holds the documents themselves, so an identity match cannot be a reused id.
    """

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, tuple[dict[str, Any], tuple[Any, ...]]]] = {}

    def rebuild(
        self,
        table: str,
        raw: dict[str, dict[str, Any]],
        decode: Callable[[dict[str, Any]], Any],
        state: Callable[[Any], tuple[Any, ...]],
        build: Callable[..., Any],
    ) -> tuple[dict[int, Any], dict[int, tuple[Any, ...]]]:
        seen = self._seen.get(table, {})
        objects: dict[int, Any] = {}
        states: dict[int, tuple[Any, ...]] = {}
        remembered: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}
        for key, doc in raw.items():
            hit = seen.get(key)
            if hit is not None and hit[0] is doc:
                values = hit[1]
                obj = build(*values)
            else:
                try:
                    obj = decode(doc)
                except _DECODE_ERRORS as error:
                    raise _Unreadable(f"{table} {key}", error) from None
                values = state(obj)
            objects[int(key)] = obj
            states[int(key)] = values
            remembered[key] = (doc, values)
        self._seen[table] = remembered
        return objects, states


class Change:
    """One transaction's working copy of the register."""

    def __init__(
        self, db: TinyDB, now: datetime, user: str, memo: _RecordMemo, where: object = "database"
    ) -> None:
        self.db = db
        self.now = now
        self.user = user
        # The tables as read under the lock (the transaction's storage holds them in memory).
        tables = db.storage.read() or {}
        self._raw: dict[str, dict[str, Any]] = {name: tables.get(name, {}) for name in _TABLES}
        self._settings: dict[str, Any] = dict(tables["programme"][str(SETTINGS_ID)])
        self._counters: dict[str, Any] = dict(tables["counters"][str(SETTINGS_ID)])
        with gc_paused(), unreadable_is_corrupt(where):
            directorates, directorate_states = memo.rebuild(
                "directorates", self._raw["directorates"], codec.decode_directorate,
                codec.directorate_state, Directorate,
            )  # fmt: skip
            participants, participant_states = memo.rebuild(
                "participants", self._raw["participants"], codec.decode_participant,
                codec.participant_state, Participant,
            )  # fmt: skip
            self.register = Register(
                programme=_decode_programme(self._settings, self._raw["cohorts"]),
                directorates=directorates,
                participants=participants,
                contacts=_records("contacts", self._raw["contacts"], codec.decode_contact),
                **_counters(self._counters),
                invoices=_records("invoices", self._raw["invoices"], codec.decode_invoice),
            )
        _check_whole(where, self.register)
        self._states = {"directorates": directorate_states, "participants": participant_states}
        self._history: list[dict[str, Any]] = []
        self._forget: set[int] = set()
        self._forget_emails: set[str] = set()
        self._forget_about: set[str] = set()
        self._forget_texts: set[str] = set()
        # The register as of now: seat offers that ran out meanwhile are settled, and recorded
        # in the history with whatever this change writes.
        for outcome in rules.settle(self.register, now):
            ids = [pid for promotion in outcome.promotions for pid in promotion.participant_ids]
            self.log("offer", "; ".join(outcome.lines()), participants=ids)

    def expect(self, kind: RecordKind, key: int, rev: int) -> None:
        """Refuse the change if the record is gone or was changed since revision ``rev``."""
        current = self._raw[_TABLE_OF[kind]].get(str(key))
        if current is None:
            raise ConflictError(_(_REMOVED[kind]))
        if current.get("rev", 0) != rev:
            raise ConflictError(_(_CHANGED[kind]))

    def log(
        self,
        action: str,
        summary: str,
        *,
        participants: Iterable[int] = (),
        directorates: Iterable[int] = (),
        about: Iterable[str] = (),
    ) -> None:
        """One history entry. ``participants`` are the people it names; ``about`` keys the
        other records whose personal data it may hold ("contact:751", "invoice:12"): an erasure
        that empties such a record scrubs the entry (see :meth:`forget_about`)."""
        entry: dict[str, Any] = {
            "at": self.now.isoformat(),
            "user": self.user,
            "action": action,
            "summary": summary,
            "participants": sorted(set(participants)),
            "directorates": sorted(set(directorates)),
        }
        keys = sorted(set(about))
        if keys:
            entry["about"] = keys
        self._history.append(entry)

    def forget_in_history(self, participant_id: int, email: str = "", name: str = "") -> None:
        """GDPR erasure: history entries about the person, or naming them (their name or
        address, in any case), lose their text when this commits, and the ledger forgets their
        address (under any recipient it was sent to).

        (A participant record that disappears in this change is forgotten in any case.)
        """
        self._forget.add(participant_id)
        if email:
            self._forget_emails.add(email.casefold())
        self.forget_mentions(email, name)

    def forget_about(self, *keys: str) -> None:
        """GDPR erasure: history entries ``about`` these records (see :meth:`log`) lose their
        text when this commits."""
        self._forget_about.update(keys)

    def forget_mentions(self, *texts: str) -> None:
        """GDPR erasure: history entries whose text holds any of ``texts`` (a name, an e-mail
        address: in any case, as a whole word) lose their text when this commits."""
        self._forget_texts.update(
            t.casefold() for t in (" ".join(text.split()) for text in texts) if t
        )

    def _sync(
        self,
        name: str,
        objects: dict[int, Any],
        encode: Callable[[Any], dict[str, Any]],
        state: Callable[[Any], tuple[Any, ...]] | None = None,
    ) -> list[int]:
        """Write the records that changed; returns the ids that were removed.

        A changed record is replaced (removed and inserted), never updated in place: the record
        memo recognises unchanged documents by identity and relies on that.
        """
        raw = self._raw[name]
        before = self._states.get(name, {})
        changed: list[Document] = []
        for key, obj in objects.items():
            if state is not None and key in before and state(obj) == before[key]:
                continue
            doc = encode(obj)
            old = raw.get(str(key))
            if old is not None and doc == old:
                continue
            doc["rev"] = obj.rev = (old.get("rev", 0) if old is not None else 0) + 1
            changed.append(Document(doc, doc_id=key))
        gone = [int(key) for key in raw if int(key) not in objects]
        table = self.db.table(name)
        stale = gone + [doc.doc_id for doc in changed if str(doc.doc_id) in raw]
        if stale:
            table.remove(doc_ids=stale)
        if changed:
            table.insert_multiple(changed)
        return gone

    def _scrub_history(self, erased: list[int]) -> None:
        """The erased people's names leave the history, their addresses the ledger."""
        erased_set = set(erased)

        erased_summary = _(ERASED_SUMMARY)

        def scrub(doc: MutableMapping[str, Any]) -> None:
            doc["summary"] = erased_summary

        about = self._forget_about
        mentions = _mentioning(self._forget_texts)

        def forgotten(doc: Document) -> bool:
            return bool(
                erased_set.intersection(doc.get("participants", ()))
                or about.intersection(doc.get("about", ()))
                or (
                    mentions is not None and mentions.search(str(doc.get("summary", "")).casefold())
                )
            )

        history = self.db.table("history")
        ids = [d.doc_id for d in history.all() if forgotten(d)]
        if ids:
            history.update(scrub, doc_ids=ids)
        keys = {f"participant:{pid}" for pid in erased_set}
        emails = self._forget_emails
        ledger = self.db.table("ledger")
        ids = [
            d.doc_id
            for d in ledger.all()
            if str(d.get("recipient", "")).partition(":hold")[0] in keys  # "participant:7:hold2"
            or d.get("email", "").casefold() in emails
        ]
        if ids:  # the address, and the file name made from the person's name
            ledger.update({"email": "", "where": _(ERASED_WHERE)}, doc_ids=ids)

    def commit(self) -> None:
        with gc_paused():
            self._commit()

    def _commit(self) -> None:
        reg = self.register
        self._sync("cohorts", {c.number: c for c in reg.programme.cohorts}, codec.encode_cohort)
        self._sync(
            "directorates", reg.directorates, codec.encode_directorate, codec.directorate_state
        )
        erased = self._sync(
            "participants", reg.participants, codec.encode_participant, codec.participant_state
        )
        self._sync("contacts", reg.contacts, codec.encode_contact)
        # erased means erased: invoices too (lines, and an invoice contact who was erased)
        invoicing.forget(reg, [*erased, *self._forget], self._forget_texts)
        self._sync("invoices", reg.invoices, codec.encode_invoice)
        if erased or self._forget or self._forget_about or self._forget_texts:
            self._scrub_history([*erased, *self._forget])
        settings = codec.encode_settings(reg.programme)
        if settings != self._settings:
            self.db.table("programme").update(settings, doc_ids=[SETTINGS_ID])
        counters = {
            "directorate": reg.next_directorate_id,
            "participant": reg.next_participant_id,
            "seq": reg.next_seq,
        }
        if counters != self._counters:
            self.db.table("counters").update(counters, doc_ids=[SETTINGS_ID])
        if self._history:
            self.db.table("history").insert_multiple(self._history)


def _mentioning(texts: set[str]) -> re.Pattern[str] | None:
    """Finds any of ``texts`` (folded) as a whole word in a folded text, spaced any way."""
    if not texts:
        return None
    words = (r"\s+".join(re.escape(word) for word in text.split()) for text in sorted(texts))
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def _forget_the_erased(db: TinyDB, entries: list[dict[str, Any]]) -> None:
    """A letter that left while its recipient was being erased (an export or a send that
    started before) is recorded without their address or file name: erased stays erased."""
    tables = db.storage.read() or {}
    known: set[str] = set()
    for doc in tables.get("participants", {}).values():
        known.add(str(doc.get("email") or "").casefold())
    for doc in tables.get("contacts", {}).values():
        known.add(str(doc.get("email") or "").casefold())
    for doc in tables.get("directorates", {}).values():
        known.add(str((doc.get("invoice") or {}).get("contact_email") or "").casefold())
    for entry in entries:
        if str(entry.get("email") or "").casefold() not in known:
            entry["email"], entry["where"] = "", _(ERASED_WHERE)


def _check_whole(where: object, register: Register) -> None:
    """Refuse a register whose records do not hang together (see domain.integrity)."""
    found = integrity.problems(register)
    if found:
        raise CorruptDatabase(
            _(
                "{file} holds records kommunestyre cannot use: {problems}. It was left "
                "untouched; correct the file or copy a backup (.bak1) over it"
            ).format(file=where, problems="; ".join(found))
        )


T = TypeVar("T")


class _Unreadable(Exception):
    """A record that could not be decoded, and which one it is."""

    def __init__(self, where: str, error: Exception) -> None:
        super().__init__(where)
        self.where, self.error = where, error


_DECODE_ERRORS = (
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    decimal.InvalidOperation,  # an amount that is not a number (it is an ArithmeticError)
)


def _records(table: str, docs: Any, decode: Callable[[Any], T]) -> dict[int, T]:
    """Every record of ``table`` decoded; one that cannot be is named ("participants 17")."""
    decoded: dict[int, T] = {}
    for key, doc in docs.items():
        try:
            decoded[int(key)] = decode(doc)
        except _DECODE_ERRORS as error:
            raise _Unreadable(f"{table} {key}", error) from None
    return decoded


def _whole_number(where: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Unreadable(
            where, TypeError(_("{value} is not a whole number").format(value=repr(value)))
        )
    return value


def _decode_programme(settings: dict[str, Any], raw_cohorts: Any) -> Programme:
    cohorts = list(_records("cohorts", raw_cohorts, codec.decode_cohort).values())
    for cohort in cohorts:
        for name in ("number", "min_directorates", "max_directorates", "max_participants"):
            _whole_number(f"cohorts {cohort.number!r} {name}", getattr(cohort, name))
    try:
        return codec.decode_programme(settings, cohorts)
    except _DECODE_ERRORS as error:
        raise _Unreadable("programme", error) from None


def _counters(counters: dict[str, Any]) -> dict[str, int]:
    """The register's counters, each a whole number (named by their keys in the file)."""
    keys = {"next_directorate_id": "directorate", "next_participant_id": "participant"}
    keys["next_seq"] = "seq"
    return {field: _whole_number(f"counters {k}", counters[k]) for field, k in keys.items()}


def _decode_register(tables: Tables) -> Register:
    return Register(
        programme=_decode_programme(tables["programme"][str(SETTINGS_ID)], tables["cohorts"]),
        directorates=_records("directorates", tables["directorates"], codec.decode_directorate),
        participants=_records("participants", tables["participants"], codec.decode_participant),
        contacts=_records("contacts", tables["contacts"], codec.decode_contact),
        **_counters(tables["counters"][str(SETTINGS_ID)]),
        invoices=_records("invoices", tables.get("invoices", {}), codec.decode_invoice),
    )


@contextmanager
def unreadable_is_corrupt(path: Any) -> Iterator[None]:
    """Valid JSON with records that make no sense (a hand edit, another program) is damage too;
    the record is named where it is known."""
    try:
        yield
    except (_Unreadable, *_DECODE_ERRORS) as caught:
        where, error = (
            (caught.where, caught.error) if isinstance(caught, _Unreadable) else ("", caught)
        )
        detail = _("missing {key}").format(key=error) if isinstance(error, KeyError) else str(error)
        if where:
            detail = f"{where}: {detail}"
        raise CorruptDatabase(
            _(
                "{file} holds records kommunestyre cannot read ({detail}); it was left untouched"
            ).format(file=path, detail=detail)
        ) from None


def _ledger_of(tables: Tables, letter: str | None) -> list[dict[str, Any]]:
    docs = tables.get("ledger", {})
    keys = [k for k, d in docs.items() if letter is None or d.get("letter") == letter]
    return [docs[k] for k in sorted(keys, key=int)]


class Repository:
    """Loads and changes the register stored in one :class:`Database`."""

    def __init__(
        self, database: Database, *, clock: Clock = system_clock, user: str | None = None
    ) -> None:
        self.database = database
        self.clock = clock
        self.user = user or current_user()
        self._memo = _RecordMemo()

    def create(self, programme: Programme, *, overwrite: bool = False) -> None:
        self.database.create(
            seed_tables(programme), overwrite=overwrite, created=self.clock().isoformat()
        )

    def load(self) -> Register:
        return self.load_with_generation()[0]

    def load_with_generation(self) -> tuple[Register, int]:
        """The register as of now (seat offers that ran out are settled, not saved: the next
        change saves them), and the file's generation."""
        tables = self.database.read()
        with gc_paused(), unreadable_is_corrupt(self.database.path):
            register = _decode_register(tables)
        _check_whole(self.database.path, register)
        i18n.follow_programme(register.programme.language)  # unless --lang said otherwise
        rules.settle(register, self.clock())
        return register, Database.generation(tables)

    def record_ledger(self, entries: list[dict[str, Any]], summary: str | None) -> None:
        """Add entries to the letters' ledger (and a line to the history) in one locked write,
        without decoding the register: a batch of thousands of letters is one quick transaction.
        (What an entry means is the letters package's business: ``letters.ledger``.)"""
        if not entries:
            return
        with self.database.transaction() as db:
            _forget_the_erased(db, entries)
            db.table("ledger").insert_multiple(entries)
            if summary is None:
                return
            db.table("history").insert(
                {
                    "at": self.clock().isoformat(),
                    "user": self.user,
                    "action": "letters",
                    "summary": summary,
                    "participants": [],
                    "directorates": [],
                }
            )

    def log_line(self, action: str, summary: str) -> None:
        """One line in the history, on its own (no change to the register)."""
        with self.database.transaction() as db:
            db.table("history").insert(
                {
                    "at": self.clock().isoformat(),
                    "user": self.user,
                    "action": action,
                    "summary": summary,
                    "participants": [],
                    "directorates": [],
                }
            )

    def load_with_ledger_docs(
        self, letter: str | None = None
    ) -> tuple[Register, list[dict[str, Any]]]:
        """The register and the ledger's entries (or one letter's), from one read of the file."""
        tables = self.database.read()
        with gc_paused(), unreadable_is_corrupt(self.database.path):
            register = _decode_register(tables)
        _check_whole(self.database.path, register)
        i18n.follow_programme(register.programme.language)  # unless --lang said otherwise
        rules.settle(register, self.clock())
        return register, _ledger_of(tables, letter)

    def ledger_docs(self, letter: str | None = None) -> list[dict[str, Any]]:
        """The ledger's entries (or only those of one ``letter``), oldest first."""
        return _ledger_of(self.database.read(), letter)

    def history(self, limit: int | None = None) -> list[HistoryEntry]:
        """The change log, newest first."""
        docs = self.database.read().get("history", {})
        keys = sorted((int(k) for k in docs), reverse=True)[:limit]
        return [
            HistoryEntry(
                id=key,
                at=datetime.fromisoformat(docs[str(key)]["at"]),
                user=docs[str(key)]["user"],
                action=docs[str(key)]["action"],
                summary=docs[str(key)]["summary"],
                participants=tuple(docs[str(key)].get("participants", ())),
                directorates=tuple(docs[str(key)].get("directorates", ())),
                about=tuple(docs[str(key)].get("about", ())),
            )
            for key in keys
        ]

    @contextmanager
    def change(self, *, dry_run: bool = False, forget: bool = False) -> Iterator[Change]:
        """One transaction. With ``dry_run`` everything happens as it would, under the lock
        and on the current data, and then nothing is written. With ``forget`` (an erasure) the
        backups go in the same step as the change is written."""
        try:
            with self.database.transaction(forget=forget) as db:
                with unreadable_is_corrupt(self.database.path):
                    change = Change(db, self.clock(), self.user, self._memo, self.database.path)
                yield change
                if dry_run:
                    raise _Discard
                change.commit()
        except _Discard:
            pass


class _Discard(Exception):
    """Leaves a dry run's transaction without writing."""
