"""Programs the storage tests run in a real child process (``python -m tests.storage.child``).

Not a test module. Each command talks to the parent over its standard streams:
it prints ``ready`` once the database is open, and where a command must start
together with another process it waits for a line (``go``) on standard input.

Commands:

``count URL NAME N``
    N separate write transactions, each appending an audit entry and then
    taking ``next_counter(NAME)``; prints the values taken as one JSON line.
``hang-register URL DATA_DIR USERNAME``
    Registers a dossier through the services and stops inside the transaction,
    after the dossier, its audit entry and its outbox entry are written but
    before the commit; prints ``inside`` and sleeps until killed.
``hang-bulk URL N``
    Inside one write transaction, with a tiny page cache so uncommitted pages
    spill into the WAL file, writes N applicants and audit entries, prints
    ``inside <size of the WAL file>`` and sleeps until killed.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from loket.domain.dossier import Applicant
from loket.domain.sop import ApplicantKind
from loket.storage.database import Database
from loket.storage.store import Storage, Store, UserRecord

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
AUDITOR = UserRecord("child", "child", "Proses anak", "admin", "", "", True)
FOREVER_S = 3600


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _sleep_until_killed() -> None:
    time.sleep(FOREVER_S)
    _say("not killed")
    sys.exit(3)


def count(url: str, name: str, n: int) -> None:
    storage = Storage(Database(url))
    _say("ready")
    sys.stdin.readline()  # "go": both processes start together
    values = []
    for i in range(n):
        with storage.writing() as store:
            # The audit entry first, as DossierService.act does before the outbox
            # counter: no earlier row lock may serialise the two processes for it.
            store.audit(
                at=NOW,
                user=AUDITOR,
                action="count",
                entity="counter",
                entity_id=name,
                before=None,
                after={"i": i},
            )
            values.append(store.next_counter(name))
    _say(json.dumps(values))
    storage.database.dispose()


def hang_register(url: str, data_dir: str, username: str) -> None:
    from loket.services.context import open_loket
    from loket.services.dossiers import Intake

    loket = open_loket(url, data_dir=Path(data_dir))
    actor = loket.users.by_username(username)
    assert actor is not None
    original = Store.enqueue

    def enqueue_then_hang(self: Store, **kwargs: Any) -> None:
        original(self, **kwargs)
        # Everything of the registration is written; the commit is still to come.
        _say("inside")
        _sleep_until_killed()

    Store.enqueue = enqueue_then_hang  # type: ignore[method-assign]
    sop = loket.catalog.get(68)
    _say("ready")
    loket.dossiers.register(
        actor,
        Intake(
            sop_number=68,
            applicant=Applicant(ApplicantKind.INDIVIDUAL, "Yohanes Killed", nik="6108011203850009"),
            business=None,
            received=frozenset(r.key for r in sop.requirements),
        ),
    )


def hang_bulk(url: str, n: int) -> None:
    database = Database(url)

    def tiny_cache(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA cache_size = 8")  # pages: spill to the WAL early

    event.listen(database.engine, "connect", tiny_cache)
    storage = Storage(database)
    _say("ready")
    with storage.writing() as store:
        for i in range(n):
            store.add_applicant(
                Applicant(ApplicantKind.INDIVIDUAL, f"Pemohon Massal {i}", nik=f"61080112{i:08d}"),
                NOW,
            )
            store.audit(
                at=NOW,
                user=AUDITOR,
                action="bulk",
                entity="applicant",
                entity_id=str(i),
                before=None,
                after={"i": i, "padding": "x" * 200},
            )
        wal = Path(f"{database.sqlite_path}-wal")
        _say(f"inside {wal.stat().st_size if wal.exists() else 0}")
        _sleep_until_killed()


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "count":
        count(args[0], args[1], int(args[2]))
    elif command == "hang-register":
        hang_register(args[0], args[1], args[2])
    elif command == "hang-bulk":
        hang_bulk(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
