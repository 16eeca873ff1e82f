"""The back office gives the same queues and figures on PostgreSQL as on SQLite.

Its reports aggregate in SQL (dates in the office's zone, counts per day, sums per
step), where the two engines differ most: the same history is run on both and
every figure compared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from loket.domain.roles import Role
from loket.services.context import Loket, open_loket
from loket.services.users import User
from tests.backoffice.support import claim_and_forward, issue_and_hand_over, rebuild_from_scratch
from tests.pg import pg_cluster, pg_url  # noqa: F401  (fixtures)
from tests.services.support import FakeClock, make_staff, register
from tests.storage.support import sqlite_url

pytestmark = pytest.mark.postgres


def _history(loket: Loket, staff: dict[Role, User], clock: FakeClock) -> dict[str, Any]:
    """Two permits handed over, one dossier waiting at the Kasi, one claimed there."""
    issue_and_hand_over(loket, staff, clock, 68)
    issue_and_hand_over(loket, staff, clock, 76)
    waiting = register(loket, staff, 68)
    while waiting.record.state.step_no < 7:
        waiting = claim_and_forward(loket, staff, waiting, clock)
    claimed = register(loket, staff, 68)
    while claimed.record.state.step_no < 7:
        claimed = claim_and_forward(loket, staff, claimed, clock)
    kasi = staff[Role.KASI_PERIZINAN]
    office = loket.back_office
    office.claims.claim(kasi, claimed.record.number)
    clock.advance(days=3)  # the Kasi's day-long step is now overdue
    head = staff[Role.KEPALA_DINAS]
    sla = [r.to_json() for r in office.sla.report(head)]
    rebuild_from_scratch(loket)  # the daily sums rebuilt in SQL give the same figures
    assert [r.to_json() for r in office.sla.report(head)] == sla
    board = office.dashboard.dashboard(head)
    month = office.monthly.report(head, date(2026, 3, 1))
    return {
        "worklist": [
            (r.number, r.step_no, r.claimed_by is not None) for r in office.worklists.rows(kasi)
        ],
        "counts": {role.value: count for role, count in office.worklists.counts(head).items()},
        "sla": sla,
        "month": list(month.sops),
        "dashboard": replace(board, made_at=None),
    }


def _run(url: str, folder: Path) -> dict[str, Any]:
    clock = FakeClock()
    loket = open_loket(url, data_dir=folder, create=True, clock=clock)
    try:
        return _history(loket, make_staff(loket), clock)
    finally:
        loket.close()


def test_the_back_office_is_the_same_on_both_engines(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    on_sqlite = _run(sqlite_url(tmp_path / "a" / "loket.sqlite3"), tmp_path / "a")
    on_postgres = _run(pg_url, tmp_path / "b")
    assert on_sqlite["worklist"][0][2] is False  # the oldest waits, unclaimed
    assert len(on_sqlite["worklist"]) == 2
    kasi = on_sqlite["counts"][Role.KASI_PERIZINAN.value]
    assert (kasi.total, kasi.overdue) == (2, 2)
    assert dict(on_sqlite["dashboard"].intake_per_day)[date(2026, 3, 2)] == 4
    assert on_postgres == on_sqlite
