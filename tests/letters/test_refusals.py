"""A server's refusal is definite: the letter failed (it did not arrive) and is sent again
next time; it is never mistaken for a lost connection ("uncertain", never resent)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from kommunestyre.letters.delivery import SmtpSettings
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.letters import LetterService
from kommunestyre.store.repository import Repository
from tests.smtp_server import Mailbox, start


def _answer(connection: socket.socket) -> None:
    with connection, connection.makefile("rwb") as line:

        def say(text: str) -> None:
            line.write(text.encode() + b"\r\n")
            line.flush()

        say("220 refusing.test")
        for raw in line:
            command = raw.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                say("250 refusing.test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                say("250 OK")
            elif command == "DATA":
                say("451 4.3.0 try again later")  # the DATA command itself: nothing handed over
            elif command == "QUIT":
                say("221 bye")
                return
            else:
                say("500 unknown")


@pytest.fixture
def refusing_server() -> Iterator[int]:
    """A server that takes the envelope and refuses every DATA command."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_answer, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def test_a_refused_data_command_is_a_failure_and_the_letter_goes_next_time(
    refusing_server: int, service: LetterService, repository: Repository
) -> None:
    settings = SmtpSettings("127.0.0.1", refusing_server, "none", timeout=10)
    batch = service.prepare("waitlist")
    report = service.send(batch, settings, None)
    assert report.uncertain == [] and report.sent == []
    assert len(report.failed) == len(batch.outgoing) and "451" in report.failed[0][1]
    assert read_ledger(repository) == []  # nothing counts as delivered
    assert len(service.prepare("waitlist").outgoing) == len(batch.outgoing)


class CountingMailbox(Mailbox):
    """Counts the envelopes begun (MAIL FROM): a letter tried twice is counted twice."""

    envelopes = 0

    async def handle_MAIL(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        self.envelopes += 1
        envelope.mail_from = address
        return "250 OK"


def test_a_refused_recipient_is_reported_in_words_and_not_tried_again(
    service: LetterService,
) -> None:
    mailbox = CountingMailbox()
    server = start(mailbox, None)
    try:
        batch = service.prepare("waitlist")
        mailbox.refuse = {batch.letters[0].recipient.email}
        settings = SmtpSettings("127.0.0.1", server.port, "none", timeout=10)
        report = service.send(batch, settings, None)
    finally:
        server.stop()
    assert len(report.failed) == 1 and len(report.sent) == len(batch.outgoing) - 1
    reason = report.failed[0][1]
    assert reason.startswith("550") and "no such mailbox" in reason and "b'" not in reason
    assert mailbox.envelopes == len(batch.outgoing)  # a refusal is not a lost line
