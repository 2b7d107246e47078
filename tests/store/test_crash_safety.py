"""A writer killed with SIGKILL at random moments never damages the database or loses a
write it had acknowledged; two writers at once lose nothing."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from kommunestyre.store.database import Database
from kommunestyre.store.storage import read_json

KILLS = 200
fork = multiprocessing.get_context("fork")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def _writer(path: str, start: int, ack_fd: int) -> None:
    database = Database(Path(path))
    n = start
    while True:
        with database.transaction() as db:
            db.table("items").insert({"n": n})
        os.write(ack_fd, f"{n}\n".encode())  # acknowledged only once the write has returned
        n += 1


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _first_line(fd: int) -> bytes:
    """Block until the writer has acknowledged its first write (or has died trying)."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data


def test_sigkill_at_random_moments_never_loses_an_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "crash.json"
    Database(path).create({"items": {}})
    rng = random.Random(20301122)
    acknowledged: set[int] = set()
    next_n = 0
    for _ in range(KILLS):
        read_fd, write_fd = os.pipe()
        child = fork.Process(target=_writer, args=(str(path), next_n, write_fd))
        child.start()
        os.close(write_fd)
        # Kill only once the writer has acknowledged a write: how many it manages before the
        # kill depends on the machine's speed, but every round proves at least one.
        first = _first_line(read_fd)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        acknowledged.update(int(line) for line in (first + _read_all(read_fd)).split())
        os.close(read_fd)

        stored = {doc["n"] for doc in read_json(path)["items"].values()}  # must always load
        assert acknowledged <= stored, f"lost {sorted(acknowledged - stored)[:5]}"
        next_n = max(stored, default=-1) + 1
    assert len(acknowledged) >= KILLS  # every writer really did write


def _inserter(path: str, writer: int, count: int) -> None:
    database = Database(Path(path), lock_timeout=60)
    for n in range(count):
        with database.transaction() as db:
            db.table("items").insert({"writer": writer, "n": n})


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "race.json"
    Database(path).create({"items": {}})
    writers = [fork.Process(target=_inserter, args=(str(path), w, 250)) for w in (1, 2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert writer.exitcode == 0
    docs = list(read_json(path)["items"].values())
    assert len(docs) == 500
    assert {(d["writer"], d["n"]) for d in docs} == {(w, n) for w in (1, 2) for n in range(250)}
