"""Letters exactly once: a send stopped at any moment (ctrl+c, SIGTERM, the terminal closing)
and run again until done delivers one copy to every recipient; after SIGKILL at most the
message in flight repeats; a message whose hand-over was cut off is never resent by itself;
an export and its ledger entries happen together or not at all."""

from __future__ import annotations

import asyncio
import collections
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.delivery import SmtpSettings
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.letters import LetterService
from kommunestyre.store.repository import Repository
from tests.cli.test_cli import ROOT
from tests.conftest import EARLY
from tests.smtp_server import Mailbox, start

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


class SlowMailbox(Mailbox):
    """A server that takes a moment over each message, so a stop lands mid-batch."""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


def sender(db: Path, port: int, output: int = subprocess.PIPE) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "KOMMUNESTYRE_NOW": EARLY.isoformat(),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "kommunestyre", "letters", "send", "practical", "--cohort", "1",
         "--db", str(db), "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
         "--security", "none", "--send"],
        env=environment, stdout=output, stderr=output, text=True,
    )  # fmt: skip


def wait_for(mailbox: Mailbox, count: int, process: subprocess.Popen[str]) -> None:
    """Until ``count`` messages arrived, or the sender is done (whatever the machine's speed)."""
    while len(mailbox.messages) < count and process.poll() is None:
        time.sleep(0.005)


def copies(mailbox: Mailbox) -> collections.Counter[str]:
    return collections.Counter(rcpt for _, rcpts, _ in mailbox.messages for rcpt in rcpts)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM", "SIGHUP", "SIGKILL"])
def test_a_send_stopped_and_run_again_delivers_each_letter_once(demo_db: Path, stop: str) -> None:
    number = getattr(signal, stop)
    mailbox = SlowMailbox()
    server = start(mailbox, None)
    rng = random.Random(f"{stop}-2030")
    kills = 0
    try:
        for _ in range(60):  # each interrupted run delivers at least one more letter
            before = len(mailbox.messages)
            process = sender(demo_db, server.port)
            wait_for(mailbox, before + 1, process)  # some progress first: then any moment
            time.sleep(rng.uniform(0, 0.15))
            if process.poll() is None:
                process.send_signal(number)
                kills += 1
            out, err = process.communicate(timeout=120)
            assert "Traceback" not in out + err
            if "Nothing to send" in out or (process.returncode == 0 and "39 sent" in out):
                break
            if stop != "SIGKILL" and process.returncode is not None and process.returncode > 0:
                assert process.returncode == 130 and "Stopped on request" in out, out + err
        else:
            pytest.fail("the sends never finished")
        # and once more: nothing is left, nothing goes twice
        out, _ = sender(demo_db, server.port).communicate(timeout=120)
        assert "Nothing to send" in out
    finally:
        server.stop()
    received = copies(mailbox)
    assert len(received) == 39 and kills >= 1
    repeated = sum(n - 1 for n in received.values())
    if stop == "SIGKILL":
        assert repeated <= kills  # at most the message in flight, per kill
    else:
        assert repeated == 0, received.most_common(3)


class DroppingMailbox(Mailbox):
    """Takes the third message, then loses the connection before saying so."""

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await super().handle_DATA(server, session, envelope)
        if len(self.messages) == 3:
            server.transport.close()
            return "421 closing"
        return "250 OK"


def test_a_message_cut_off_during_its_hand_over_is_not_sent_again(demo_db: Path) -> None:
    from kommunestyre.clock import frozen_clock as clock
    from kommunestyre.store.database import Database as Db

    repository = Repository(Db(demo_db), clock=clock(EARLY))
    service = LetterService(repository)
    mailbox = DroppingMailbox()
    server = start(mailbox, None)
    settings = SmtpSettings("127.0.0.1", server.port, "none", timeout=10)
    try:
        report = service.send(service.prepare("practical", Filters(cohort=1)), settings, None)
        assert len(report.uncertain) == 1 and len(report.sent) == 38
        again = service.prepare("practical", Filters(cohort=1))
        assert again.outgoing == []  # the uncertain one is not sent by itself
        statuses = collections.Counter(d.status for d in read_ledger(repository))
        assert statuses == {"sent": 38, "uncertain": 1}
        resend = service.prepare("practical", Filters(cohort=1), resend=True)
        assert len(resend.outgoing) == 39  # --resend sends it anyway
    finally:
        server.stop()
    assert len(copies(mailbox)) == 39 and max(copies(mailbox).values()) == 1


def test_an_export_whose_ledger_cannot_be_written_leaves_no_files(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files and their ledger entries go together (the database could not be written:
    a read-only folder, a full disk)."""
    from kommunestyre.clock import frozen_clock as clock
    from kommunestyre.store.database import Database as Db

    repository = Repository(Db(demo_db), clock=clock(EARLY))
    service = LetterService(repository)
    batch = service.prepare("waitlist")

    def refused(entries: list, summary: str | None) -> None:
        raise PermissionError(13, "Permission denied", str(demo_db))

    monkeypatch.setattr(repository, "record_ledger", refused)
    with pytest.raises(PermissionError):
        service.export(batch, tmp_path / "out", "eml")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
    monkeypatch.undo()
    assert read_ledger(repository) == []
    assert len(service.prepare("waitlist").outgoing) == 2  # nothing counts as exported


def test_in_a_read_only_folder_the_cli_says_so_and_leaves_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kommunestyre.cli import main
    from kommunestyre.clock import frozen_clock as clock

    if os.geteuid() == 0:
        pytest.skip("root may write into a read-only folder")
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "demo.json"
    db.write_bytes(demo_db.read_bytes())
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code = main(["letters", "export", "waitlist", "--format", "eml", "--out",
                     str(tmp_path / "out"), "--db", str(db)], clock=clock(EARLY))  # fmt: skip
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code != 0 and not (tmp_path / "out").exists()
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_the_terminal_closing_mid_send_loses_no_record(demo_db: Path) -> None:
    """SIGHUP with the terminal already gone (writing to it fails): the stop is still orderly,
    and the rerun sends each remaining letter once."""
    mailbox = SlowMailbox()
    server = start(mailbox, None)
    rng = random.Random("hangup-2030")
    try:
        for _ in range(60):
            before = len(mailbox.messages)
            read_end, write_end = os.pipe()
            process = sender(demo_db, server.port, write_end)
            os.close(write_end)
            wait_for(mailbox, before + 1, process)
            time.sleep(rng.uniform(0, 0.1))
            os.close(read_end)  # the terminal is gone: every write fails from now on
            if process.poll() is None:
                process.send_signal(signal.SIGHUP)
            process.wait(timeout=120)
            if process.returncode == 0 and before + 1 >= 39:
                break
        out, _ = sender(demo_db, server.port).communicate(timeout=120)  # the rest, in the open
        out, _ = sender(demo_db, server.port).communicate(timeout=120)
        assert "Nothing to send" in out
    finally:
        server.stop()
    received = copies(mailbox)
    assert len(received) == 39 and max(received.values()) == 1, received.most_common(3)
