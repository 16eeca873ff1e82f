"""Back office: the worklist's first page over 100,000 open dossiers, the dashboard over a
demo database, and the monthly report over a year of demo data; each against a raw
SQLite floor measured in the same run.

Run: ``.venv/bin/python bench/bench_backoffice.py worklist`` (builds
``bench/.cache/open-100000.sqlite3`` once: 100,000 dossiers in progress, all waiting
on the Kasi), ``... dashboard --db bench/.cache/bench-1000000.sqlite3`` and
``... monthly --db bench/.cache/bench-10000.sqlite3 --month 2026-10``.

The dashboard and the monthly report first measure the finished steps not yet
measured (``step_results``, derived data written into the database on first use,
as the desktop would): that one-off backfill is timed and reported separately.
Results go to ``bench/results/backoffice-<what>-<count>.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loket.domain.calendar import WIB  # noqa: E402
from loket.domain.roles import Role  # noqa: E402
from loket.services.context import open_loket  # noqa: E402
from loket.services.monthly import parse_month  # noqa: E402
from loket.services.users import SYSTEM  # noqa: E402
from loket.storage.ids import new_id  # noqa: E402

OPEN = 100_000


def timed(work: Callable[[], object], rounds: int) -> dict[str, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "max_s": max(times), "rounds": rounds}


def floor_query(path: Path, sql: str, params: tuple[object, ...] = ()) -> Callable[[], object]:
    def run() -> object:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    return run


def build_open(path: Path, count: int) -> None:
    """``count`` dossiers in progress at the Kasi's step, received over the last 60 days."""
    if path.exists():
        return
    loket = open_loket(f"sqlite:///{path}", data_dir=path.parent, create=True)
    loket.close()
    rng = random.Random(1)
    now = datetime.now(UTC)
    connection = sqlite3.connect(path)
    user = new_id()
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    connection.execute(
        "INSERT INTO users VALUES (?, 'bench', 'Bench', 'front_office', '', '', 1, ?)",
        (user, stamp),
    )
    applicants, dossiers = [], []
    for i in range(count):
        sop, step = (68, 7) if i % 2 else (76, 9)
        received = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
        started = received + timedelta(minutes=rng.randrange(60 * 8))
        applicant = new_id()
        name = f"Pemohon {i:06d}"
        applicants.append(
            (
                applicant,
                "individual",
                name,
                name.casefold(),
                f"61080112038{i:05d}",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                stamp,
            )
        )
        dossiers.append(
            (
                new_id(),
                f"SOP{sop}/2026/BEN/{i:06d}",
                sop,
                1,
                applicant,
                None,
                "in_progress",
                step,
                received.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "BEN",
                "",
                "",
                None,
                8,
                user,
                started.strftime("%Y-%m-%d %H:%M:%S.%f"),
            )
        )
    connection.executemany(f"INSERT INTO applicants VALUES ({','.join('?' * 16)})", applicants)
    connection.executemany(f"INSERT INTO dossiers VALUES ({','.join('?' * 16)})", dossiers)
    connection.commit()
    connection.close()


def bench_worklist(args: argparse.Namespace) -> dict[str, object]:
    path = ROOT / "bench" / ".cache" / f"open-{OPEN}.sqlite3"
    build_open(path, OPEN)
    loket = open_loket(f"sqlite:///{path}", data_dir=path.parent)
    kasi = SYSTEM.__class__("bench", "bench", "Bench", Role.KASI_PERIZINAN)
    try:
        first = loket.back_office.worklists.page(kasi, limit=50)
        assert len(first.rows) == 50
        page = timed(lambda: loket.back_office.worklists.page(kasi, limit=50), args.rounds)
        cursor = first.cursor
        deep = timed(
            lambda: loket.back_office.worklists.page(kasi, limit=50, cursor=cursor), args.rounds
        )
        counts = timed(lambda: loket.back_office.worklists.counts(kasi), args.rounds)
    finally:
        loket.close()
    floor = timed(
        floor_query(
            path,
            "SELECT d.number, d.updated_at, a.name FROM dossiers d JOIN applicants a "
            "ON a.id = d.applicant_id WHERE d.status = 'in_progress' AND d.sop_number = 68 "
            "AND d.sop_version = 1 AND d.step_no = 7 ORDER BY d.updated_at LIMIT 50",
        ),
        args.rounds,
    )
    return {
        "open_dossiers": OPEN,
        "first_page": page,
        "next_page": deep,
        "queue_counts": counts,
        "floor_one_indexed_page": floor,
        "ratio_first_page_to_floor": page["median_s"] / floor["median_s"],
    }


def bench_dashboard(args: argparse.Namespace) -> dict[str, object]:
    loket = open_loket(f"sqlite:///{args.db}", data_dir=Path(args.db).parent)
    try:
        start = time.perf_counter()
        measured = loket.back_office.sla.refresh()
        backfill = time.perf_counter() - start
        board = loket.back_office.dashboard.dashboard(SYSTEM, days=30)
        result = timed(lambda: loket.back_office.dashboard.dashboard(SYSTEM, days=30), args.rounds)
    finally:
        loket.close()
    floor = timed(
        floor_query(
            Path(args.db),
            "SELECT status, count(*) FROM dossiers GROUP BY status",
        ),
        args.rounds,
    )
    return {
        "database": str(args.db),
        "backfill_steps_measured": measured,
        "backfill_s": backfill,
        "open_now": sum(s.open for s in board.by_step),
        "dashboard_30_days": result,
        "floor_count_by_status": floor,
        "ratio_to_floor": result["median_s"] / floor["median_s"],
    }


def bench_monthly(args: argparse.Namespace) -> dict[str, object]:
    month = parse_month(args.month)
    loket = open_loket(f"sqlite:///{args.db}", data_dir=Path(args.db).parent)
    try:
        start = time.perf_counter()
        measured = loket.back_office.sla.refresh()
        backfill = time.perf_counter() - start
        year = [month.replace(year=month.year - (m > month.month), month=m) for m in range(1, 13)]

        def whole_year() -> None:
            for first in year:
                loket.back_office.monthly.report(SYSTEM, first)

        one = timed(lambda: loket.back_office.monthly.report(SYSTEM, month), args.rounds)
        twelve = timed(whole_year, max(1, args.rounds // 5))
    finally:
        loket.close()
    begin = datetime.combine(month, datetime.min.time(), tzinfo=WIB).astimezone(UTC)
    floor = timed(
        floor_query(
            Path(args.db),
            "SELECT sop_number, count(*) FROM dossiers WHERE received_at >= ? GROUP BY sop_number",
            (begin.strftime("%Y-%m-%d %H:%M:%S"),),
        ),
        args.rounds,
    )
    return {
        "database": str(args.db),
        "month": args.month,
        "backfill_steps_measured": measured,
        "backfill_s": backfill,
        "one_month": one,
        "twelve_months": twelve,
        "floor_received_by_sop": floor,
        "ratio_one_month_to_floor": one["median_s"] / floor["median_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["worklist", "dashboard", "monthly"])
    parser.add_argument("--db", default=str(ROOT / "bench" / ".cache" / "bench-100000.sqlite3"))
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    bench = {"worklist": bench_worklist, "dashboard": bench_dashboard, "monthly": bench_monthly}
    results = bench[args.what](args)
    tag = OPEN if args.what == "worklist" else Path(args.db).stem.rsplit("-", 1)[-1]
    out = ROOT / "bench" / "results" / f"backoffice-{args.what}-{tag}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
