"""Sending over SMTP to a real server (aiosmtpd on loopback) with STARTTLS and a test CA."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from kommunestyre.errors import ValidationError
from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.delivery import DeliveryError, SmtpSettings, build_messages, export, send
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.letters import LetterService
from kommunestyre.store.repository import Repository
from tests.smtp_server import PASSWORD, USER, Mailbox, start


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, path


@pytest.fixture
def tls_server(ca: tuple[trustme.CA, Path]) -> Iterator[tuple[Mailbox, int]]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca[0].issue_cert("127.0.0.1", "localhost").configure_cert(context)
    mailbox = Mailbox()
    controller = start(mailbox, context)
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture
def plain_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    controller = start(mailbox, None)
    yield mailbox, controller.port
    controller.stop()


def settings(port: int, ca_file: Path | None, **more: object) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, "starttls", USER, ca_file, timeout=10, **more)  # type: ignore[arg-type]


def test_messages_arrive_byte_identical_to_the_export(
    tls_server: tuple[Mailbox, int], ca: tuple[trustme.CA, Path], service: LetterService,
    repository: Repository, tmp_path: Path,
) -> None:  # fmt: skip
    mailbox, port = tls_server
    batch = service.prepare("practical", Filters(cohort=1))
    programme = repository.load().programme
    outgoing = build_messages(batch, programme)
    report = export(batch, outgoing, tmp_path / "files", "eml")
    recorded = []
    sent = send(batch, outgoing, settings(port, ca[1]), PASSWORD, programme.coordinator.email,
                record=recorded.extend)  # fmt: skip
    assert sent.summary() == "39 sent, 0 failed"
    assert mailbox.logins == [USER]
    assert len(mailbox.messages) == 39 == len(recorded)
    files = {f.read_bytes().removeprefix(b"X-Unsent: 1\r\n") for f in report.files}
    for sender, recipients, content in mailbox.messages:
        assert sender == programme.coordinator.email and len(recipients) == 1
        assert content in files  # byte for byte, but for the draft mark of the files


def test_sending_through_the_service_records_the_ledger(
    tls_server: tuple[Mailbox, int], ca: tuple[trustme.CA, Path], service: LetterService,
    repository: Repository,
) -> None:  # fmt: skip
    mailbox, port = tls_server
    mailbox.refuse = {service.prepare("waitlist").letters[0].recipient.email}
    report = service.send(service.prepare("waitlist"), settings(port, ca[1]), PASSWORD)
    assert (len(report.sent), len(report.failed)) == (1, 1)
    assert "550" in report.failed[0][1]
    assert [d.channel for d in read_ledger(repository)] == ["smtp"]
    again = service.prepare("waitlist")
    assert again.count(State.SENT) == 1 and len(again.outgoing) == 1  # only the failed one


def test_an_untrusted_certificate_delivers_nothing(
    tls_server: tuple[Mailbox, int], service: LetterService, repository: Repository
) -> None:
    mailbox, port = tls_server
    with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
        service.send(service.prepare("waitlist"), settings(port, None), PASSWORD)
    assert mailbox.messages == [] and mailbox.logins == []
    assert read_ledger(repository) == []


def test_a_server_without_starttls_gets_no_password(
    plain_server: tuple[Mailbox, int], service: LetterService, ca: tuple[trustme.CA, Path]
) -> None:
    mailbox, port = plain_server
    with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
        service.send(service.prepare("waitlist"), settings(port, ca[1]), PASSWORD)
    assert mailbox.logins == [] and mailbox.messages == []


def test_no_password_over_an_unencrypted_connection() -> None:
    with pytest.raises(ValidationError, match="never sent over an unencrypted"):
        SmtpSettings("127.0.0.1", 25, "none", USER).checked()


def test_rate_limit_spaces_the_messages(
    tls_server: tuple[Mailbox, int], ca: tuple[trustme.CA, Path], service: LetterService
) -> None:
    mailbox, port = tls_server
    batch = service.prepare("practical", Filters(cohort=4, field="kommunaldirektor"))
    assert len(batch.outgoing) == 4
    started = time.monotonic()
    service.send(batch, settings(port, ca[1], per_minute=600), PASSWORD)  # one per 0.1 s
    assert time.monotonic() - started >= 0.3
    assert len(mailbox.messages) == 4


def test_cancelling_stops_and_keeps_what_was_sent(
    tls_server: tuple[Mailbox, int], ca: tuple[trustme.CA, Path], service: LetterService,
    repository: Repository,
) -> None:  # fmt: skip
    mailbox, port = tls_server
    calls = iter(range(100))
    report = service.send(
        service.prepare("practical", Filters(cohort=1)), settings(port, ca[1]), PASSWORD,
        cancelled=lambda: next(calls) >= 3,
    )  # fmt: skip
    assert report.cancelled and len(report.sent) == 3 and report.not_attempted == 36
    assert len(mailbox.messages) == 3 == len(read_ledger(repository))
