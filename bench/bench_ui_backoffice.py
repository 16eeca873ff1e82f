"""The back office's screens on big databases: the worklist's first page and the dashboard.

Run: ``.venv/bin/python bench/bench_ui_backoffice.py worklist`` (on
``bench/.cache/open-100000.sqlite3``, built by ``bench/bench_backoffice.py worklist``)
and ``... dashboard --db bench/.cache/bench-100000.sqlite3``. Offscreen Qt, the real
widgets, :class:`~ui.tasks.ImmediateTasks` (the time to the first page shown). Each
against a floor measured in the same run: the same service call without Qt.
Results go to ``bench/results/ui-backoffice-<what>-<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from loket.domain.roles import Role  # noqa: E402
from loket.services.context import open_loket  # noqa: E402
from loket.services.users import SYSTEM, User  # noqa: E402
from ui.app import application, build_session  # noqa: E402
from ui.dashboard import DashboardPanel, load_dashboard  # noqa: E402
from ui.tasks import ImmediateTasks  # noqa: E402
from ui.worklist import PAGE, WorklistPanel  # noqa: E402

ROUNDS = 10


def timed(work: Callable[[], object], rounds: int = ROUNDS) -> dict[str, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "max_s": max(times), "rounds": rounds}


def user_of(role: Role) -> User:
    return User(id=SYSTEM.id, username=SYSTEM.username, full_name="Bench", role=role)


def bench_worklist(db: Path) -> dict[str, object]:
    app = application()
    loket = open_loket(f"sqlite:///{db}", data_dir=db.parent)
    try:
        kasi = user_of(Role.KASI_PERIZINAN)
        session = build_session(loket, kasi, ImmediateTasks())

        def open_screen() -> None:
            panel = WorklistPanel(session)
            panel.show()
            panel.refresh()
            app.processEvents()  # the first page painted
            assert panel.model.rowCount() > 0
            panel.close()
            panel.deleteLater()

        screen = timed(open_screen)
        floor = timed(lambda: loket.back_office.worklists.page(kasi, limit=PAGE))
        counts = loket.back_office.worklists.counts(kasi)
    finally:
        loket.close()
    return {
        "database": str(db.relative_to(ROOT)) if db.is_relative_to(ROOT) else str(db),
        "queue": counts[Role.KASI_PERIZINAN].total if Role.KASI_PERIZINAN in counts else 0,
        "page_rows": PAGE,
        "worklist_screen_first_page": screen,
        "floor_service_page_without_qt": floor,
        "ratio_screen_to_floor": screen["median_s"] / floor["median_s"],
        "target_s": 0.1,
    }


def bench_dashboard(db: Path) -> dict[str, object]:
    app = application()
    loket = open_loket(f"sqlite:///{db}", data_dir=db.parent)
    try:
        head = user_of(Role.KEPALA_DINAS)
        session = build_session(loket, head, ImmediateTasks())
        load_dashboard(loket, head)  # measures finished steps not yet measured, once

        def render() -> None:
            panel = DashboardPanel(session)
            panel.resize(1100, 700)
            panel.show()
            panel.refresh()
            panel.grab()  # every chart painted
            app.processEvents()
            assert panel.data is not None
            panel.close()
            panel.deleteLater()

        screen = timed(render)
        floor = timed(lambda: loket.back_office.dashboard.dashboard(head))
    finally:
        loket.close()
    return {
        "database": str(db.relative_to(ROOT)) if db.is_relative_to(ROOT) else str(db),
        "dashboard_screen_rendered": screen,
        "floor_dashboard_service_without_qt": floor,
        "ratio_screen_to_floor": screen["median_s"] / floor["median_s"],
        "target_s": 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("worklist", "dashboard"))
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    cache = ROOT / "bench" / ".cache"
    if args.what == "worklist":
        db = args.db or cache / "open-100000.sqlite3"
        results = bench_worklist(db.resolve())
    else:
        db = args.db or cache / "bench-100000.sqlite3"
        results = bench_dashboard(db.resolve())
    QApplication.processEvents()
    name = db.stem
    out = ROOT / "bench" / "results" / f"ui-backoffice-{args.what}-{name}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
