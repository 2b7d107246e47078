"""Generate a large database for benchmarks: N participants spread over 97 municipalities.

The cohorts' caps are respected (40 people, 10 directorates each); everyone else is on a
waiting list, which is where a real programme would put them. Municipality 98 (Ærø) is left
free so a benchmark can register one more directorate.

    python -m benchmarks.generate OUT.json [--participants 10000]
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

from kommunestyre.clock import local
from kommunestyre.definition import load_programme
from kommunestyre.domain.model import (
    Directorate,
    InvoiceDetails,
    Participant,
    ParticipantDetails,
    Register,
    Status,
)
from kommunestyre.domain.municipalities import all_municipalities
from kommunestyre.resources import cohorts_dir
from kommunestyre.store import codec
from kommunestyre.store.database import Database
from kommunestyre.store.repository import SETTINGS_ID, seed_tables

SURNAMES = ["Hansen", "Jensen", "Nielsen", "Østergaard"]
FIELDS = ["kommunaldirektor", "born_kultur", "social_sundhed", "teknik_miljo", "okonomi_stab"]


def build_register(participants: int, *, admit_everyone: bool = False) -> Register:
    """``admit_everyone`` ignores the caps, so letters to participants reach all of them."""
    programme = load_programme(cohorts_dir())
    register = Register(programme=programme)
    rng = random.Random(10_000)
    start = local(datetime(2026, 9, 1, 9))
    municipalities = [m for m in all_municipalities() if m.name != "Ærø"]
    per_directorate = -(-participants // len(municipalities))
    seats = {c.number: 0 for c in programme.cohorts}
    places = {c.number: 0 for c in programme.cohorts}
    made = 0
    for index, municipality in enumerate(municipalities):
        cohort = programme.cohorts[index % len(programme.cohorts)].number
        size = min(per_directorate, participants - made)
        if size <= 0:
            break
        admitted = admit_everyone or (places[cohort] < 10 and seats[cohort] + size <= 40)
        status = Status.ADMITTED if admitted else Status.WAITLISTED
        if admitted:
            places[cohort] += 1
            seats[cohort] += size
        directorate = Directorate(
            id=register.take_directorate_id(),
            municipality_code=municipality.code,
            cohort=cohort,
            seq=register.take_seq(),
            registered_at=start + timedelta(minutes=index),
            invoice=InvoiceDetails(ean="5798009813640", reference=f"REF-{municipality.code}"),
        )
        register.directorates[directorate.id] = directorate
        for n in range(size):
            pid = register.take_participant_id()
            register.participants[pid] = Participant(
                id=pid,
                directorate_id=directorate.id,
                cohort=cohort,
                details=ParticipantDetails(
                    name=f"Deltager {pid} {rng.choice(SURNAMES)}",
                    title="Direktør",
                    field=FIELDS[n % len(FIELDS)],
                    email=f"deltager{pid}@kommune{municipality.code}.example",
                    phone=f"{20000000 + pid}",
                    needs="Vegetar" if pid % 7 == 0 else "",
                ),
                status=status,
                seq=register.take_seq(),
                registered_at=start + timedelta(minutes=index, seconds=n),
            )
            made += 1
    return register


def write_database(path: Path, register: Register) -> None:
    tables = seed_tables(register.programme)
    tables["directorates"] = {
        str(d.id): codec.encode_directorate(d) for d in register.directorates.values()
    }
    tables["participants"] = {
        str(p.id): codec.encode_participant(p) for p in register.participants.values()
    }
    tables["counters"][str(SETTINGS_ID)] = {
        "directorate": register.next_directorate_id,
        "participant": register.next_participant_id,
        "seq": register.next_seq,
    }
    Database(path).create(tables, overwrite=True)


def generate(path: Path, participants: int = 10_000, *, admit_everyone: bool = False) -> Path:
    write_database(path, build_register(participants, admit_everyone=admit_everyone))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--participants", type=int, default=10_000)
    args = parser.parse_args()
    generate(args.out, args.participants)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
