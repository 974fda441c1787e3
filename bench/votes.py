"""Votes: many seats voting at once through ``vote_cast`` against PostgreSQL, against a plain
insert of the same rows.

Prints, from one run in a fresh process on a throw-away PostgreSQL database (created and
dropped here; 127.0.0.1:5432, user postgres, trust auth: PGHOST, PGPORT, PGUSER):
- votes per second through ``vote_cast`` with W threads (each its own connection) casting for
  S seats of one body on one matter, each seat voting and then changing its vote (every write
  locks the matter's row, so they queue on it: that is the price of never losing a vote);
- the count check: votes cast = votes stored (one per seat), and every change kept;
- votes per second inserting the same rows plainly (``Vote.objects.create`` in the same threads,
  no lock, no check, no audit) and the ratio of the two.

Usage: .venv/bin/python bench/votes.py [--seats 300] [--workers 8]
"""

import argparse
import atexit
import os
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from throwaway import org_number  # noqa: E402

PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "postgres"),
}
DATABASE = f"bench_votes_{uuid.uuid4().hex[:8]}"


def _admin(sql: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as connection:
        connection.execute(sql)


_admin(f'CREATE DATABASE "{DATABASE}"')
atexit.register(_admin, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
os.environ["DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DATABASE}"
os.environ.pop("PREFECT_API_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "governance.settings"

import django  # noqa: E402

django.setup()
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)

from governance.boards.models import Board, Matter, Seat, SeatHolder, Vote  # noqa: E402
from governance.boards.voting import vote_cast, vote_open  # noqa: E402
from governance.hubs.models import Hub  # noqa: E402
from governance.organisations.models import Organisation, RoleAssignment  # noqa: E402


def _setup(seats: int) -> tuple[Matter, list[User]]:
    principal_org = Organisation.objects.create(
        name="Huvudman", org_number=org_number(0), kind="other"
    )
    hub = Hub.objects.create(
        name="Bench", municipality="Östersund", county="jamtland", principal=principal_org
    )
    board = Board.objects.create(hub=hub, body="owner_group")
    principal = User.objects.create_user("principal")
    RoleAssignment.objects.create(user=principal, role="principal_staff", hub=hub)
    voters = []
    for n in range(1, seats + 1):
        organisation = Organisation.objects.create(
            name=f"Medlem {n}", org_number=org_number(n), kind="other"
        )
        seat = Seat.objects.create(
            board=board, organisation=organisation, opened_on=date(2020, 1, 1)
        )
        user = User.objects.create_user(f"owner{n}")
        SeatHolder.objects.create(
            seat=seat, user=user, kind="representative", title="Direktör", from_on=date(2020, 1, 1)
        )
        voters.append(user)
    matter = Matter.objects.create(
        hub=hub, title="Bench", text="", origin="principal", kind="other", author=principal
    )
    Matter.objects.filter(pk=matter.pk).update(state="in_review", board=board)
    vote_open(actor=principal, matter_id=matter.pk, deadline=timezone.now() + timedelta(days=1))
    return matter, voters


def _in_threads(workers: int, items: list, work) -> float:
    slices = [items[i::workers] for i in range(workers)]
    start = threading.Barrier(workers + 1)
    errors: list[BaseException] = []

    def run(part: list) -> None:
        start.wait()
        try:
            for item in part:
                work(item)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(part,)) for part in slices]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    matter, voters = _setup(args.seats)

    calls = [(user, "yes") for user in voters] + [(user, "no") for user in voters]
    # Each thread casts for its seats and then changes them: first votes, then the changes.
    first, second = calls[: args.seats], calls[args.seats :]

    def cast(item) -> None:
        user, choice = item
        vote_cast(actor=user, matter_id=matter.pk, choice=choice)

    elapsed = _in_threads(args.workers, first, cast) + _in_threads(args.workers, second, cast)
    stored = Vote.objects.filter(matter=matter).count()
    changed = Vote.objects.filter(matter=matter, choice="no", changed_at__isnull=False).count()
    rows = list(Vote.objects.filter(matter=matter).values("seat_id", "cast_by_id"))
    Vote.objects.filter(matter=matter).delete()

    def insert(row) -> None:
        Vote.objects.create(
            matter_id=matter.pk,
            seat_id=row["seat_id"],
            choice="yes",
            cast_by_id=row["cast_by_id"],
            cast_as="representative",
        )

    plain = _in_threads(args.workers, rows, insert)
    through = len(calls) / elapsed
    bare = len(rows) / plain
    print(f"seats {args.seats}, workers {args.workers}, casts {len(calls)} (each seat twice)")
    print(f"vote_cast: {through:,.0f} votes/s ({elapsed:.2f} s)")
    print(
        f"count check: seats {args.seats} = stored {stored}: {stored == args.seats}; "
        f"changes kept {changed} = {args.seats}: {changed == args.seats}"
    )
    print(f"plain insert: {bare:,.0f} rows/s ({plain:.2f} s)")
    print(f"ratio (plain insert / vote_cast, per row): {bare / through:.1f}x")
    assert stored == args.seats
    assert changed == args.seats


if __name__ == "__main__":
    main()
