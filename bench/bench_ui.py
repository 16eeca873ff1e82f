"""Desktop benchmark: start-up, search as you type on a big database, wizard page switches.

Run: ``.venv/bin/python bench/bench_ui.py [--db bench/.cache/bench-1000000.sqlite3]
[--starts 15]`` (offscreen Qt; the big database is only read).

1. Start-up to the login window, each in a fresh child process, against its FLOOR:
   a bare PySide6 window started the same way in the same run (interleaved). The
   ratio of medians is the figure (target: 1.5 or less).
2. Search as you type on ``--db``: a clerk types names, NIKs and dossier numbers one
   key at a time into the real search box (real thread pool, 150 ms debounce). Per
   keystroke: the time the UI thread is busy handling the key, and the time from a
   search starting to its rows being shown, against its FLOOR, the same
   ``DossierService.search`` call made directly (target: under 50 ms per keystroke).
3. The intake wizard's page switches (SOP 68, a full intake), against a FLOOR of
   switching a plain QStackedWidget between two empty pages (target: under 50 ms).

Writes ``bench/results/ui-<count>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget  # noqa: E402

from loket.domain.roles import Role  # noqa: E402
from loket.services.context import Loket, open_loket  # noqa: E402
from loket.services.desk import Admin, finish_first_run  # noqa: E402
from loket.services.office import Office  # noqa: E402
from loket.services.users import SYSTEM, User  # noqa: E402
from ui.app import build_session  # noqa: E402
from ui.intake import IntakeWizard  # noqa: E402
from ui.search import SearchPanel  # noqa: E402
from ui.tasks import ThreadTasks  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = ROOT / "bench" / ".cache" / "bench-1000000.sqlite3"
MARK = "SHOWN"
READY = "READY"

BARE = f"""
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.setWindowTitle("bare")
window.show()
app.processEvents()
print("{MARK}", flush=True)
"""

LOGIN = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from ui.app import Startup, application, parse
from ui.tasks import ThreadTasks
app = application()
tasks = ThreadTasks()
startup = Startup(parse(["--data-dir", sys.argv[1]]), tasks)
startup.start()
app.processEvents()
print("{MARK}", flush=True)
while not startup.login.ok.isEnabled():
    app.processEvents()
    time.sleep(0.001)
print("{READY}", flush=True)
tasks.wait()
if startup.loket is not None:
    startup.loket.close()
"""


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "min_ms": round(ordered[0], 3),
        "max_ms": round(ordered[-1], 3),
    }


def _start_once(code: str, *args: str) -> tuple[float, float]:
    """Milliseconds from spawning the child to its window shown, and to its READY line."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    shown = ready = 0.0
    for line in child.stdout:
        elapsed = (time.perf_counter() - began) * 1000
        if line.strip() == MARK:
            shown = elapsed
        elif line.strip() == READY:
            ready = elapsed
    if child.wait() != 0 or not shown:
        raise RuntimeError("child failed before showing its window")
    return shown, ready or shown


def bench_startup(repetitions: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="loket-bench-ui-") as folder:
        loket = open_loket(data_dir=Path(folder), create=True)
        finish_first_run(loket, Office(), Admin("admin", "Admin Bench", "bench-password-1"))
        loket.close()
        bare: list[float] = []
        login: list[float] = []
        ready: list[float] = []
        _start_once(BARE)  # warm the file cache for both
        _start_once(LOGIN, folder)
        for _ in range(repetitions):
            bare.append(_start_once(BARE)[0])
            shown, usable = _start_once(LOGIN, folder)
            login.append(shown)
            ready.append(usable)
    floor = statistics.median(bare)
    return {
        "login_window_shown": summary(login),
        "login_ready_database_open": summary(ready),
        "floor_bare_window": summary(bare),
        "ratio_p50": round(statistics.median(login) / floor, 2),
        "ratio_ready_p50": round(statistics.median(ready) / floor, 2),
        "target_ratio": 1.5,
    }


def _settle_until(done: Callable[[], bool], limit_s: float = 30.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not done():
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("search did not answer")
        time.sleep(0.0005)


def _queries(loket: Loket, actor: User) -> list[str]:
    """What a clerk types: names, NIKs and dossier numbers of real rows of the database."""
    rows = loket.dossiers.search(actor, limit=400)
    names = sorted({r.applicant for r in rows if r.applicant})[:8]
    niks = [r.nik for r in rows if r.nik][:4]
    numbers = [r.number for r in rows][:4]
    return [*names, *niks, *numbers]


def bench_search(db: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="loket-bench-ui-") as folder:
        loket = _reader(db, Path(folder))
        try:
            actor = User("bench", "bench", "Bench", Role.FRONT_OFFICE)
            tasks = ThreadTasks()
            panel = SearchPanel(build_session(loket, actor, tasks))
            panel.show()
            queries = _queries(loket, SYSTEM)
            # A first pass reads the pages of the big file into the OS cache; it is
            # reported on its own (a PC's first searches of the day look like this).
            cold_ms = [
                _timed_search(loket, actor, query[:length])
                for query in queries
                for length in range(1, len(query) + 1)
            ]
            handler_ms: list[float] = []
            shown_ms: list[float] = []
            floor_ms: list[float] = []
            for turn, query in enumerate(queries):
                panel.line.clear()
                for length in range(1, len(query) + 1):
                    timer = QElapsedTimer()
                    timer.start()
                    QTest.keyClick(panel.line, query[length - 1])
                    handler_ms.append(timer.nsecsElapsed() / 1e6)
                    # Floor and desktop take turns going first, so neither warms the other.
                    if turn % 2:
                        floor_ms.append(_timed_search(loket, actor, query[:length]))
                    shown_ms.append(_search_in_panel(panel, tasks))
                    if not turn % 2:
                        floor_ms.append(_timed_search(loket, actor, query[:length]))
            tasks.wait()
            panel.close()
        finally:
            loket.close()
    return {
        "queries": len(queries),
        "cold_first_pass_service_search": summary(cold_ms),
        "keystrokes": len(handler_ms),
        "ui_thread_per_keystroke": summary(handler_ms),
        "search_to_rows_shown": summary(shown_ms),
        "floor_service_search": summary(floor_ms),
        "ratio_p50": round(statistics.median(shown_ms) / statistics.median(floor_ms), 2),
        "target_ms": 50,
    }


def _timed_search(loket: Any, actor: User, text: str) -> float:
    began = time.perf_counter()
    loket.dossiers.search(actor, query=text, limit=50)
    return (time.perf_counter() - began) * 1000


def _search_in_panel(panel: SearchPanel, tasks: ThreadTasks) -> float:
    """From the (debounced) search starting to its rows being in the table."""
    sequence = panel._sequence + 1
    began = time.perf_counter()
    panel.search_now()
    _settle_until(lambda: panel._sequence == sequence and _idle(tasks))
    QApplication.processEvents()
    return (time.perf_counter() - began) * 1000


def _reader(db: Path, folder: Path) -> Any:
    """The services a search needs, on ``db`` as it is: only read, never migrated.

    ``open_loket`` refuses a database whose schema is behind the code (the shared big
    database may lag a migration another engineer just added); searching reads only
    tables every schema version has, so the bench builds the search service itself.
    """
    from loket.catalog import Catalog, default_sop_dirs
    from loket.domain.calendar import WorkingCalendar
    from loket.services.context import system_clock
    from loket.services.dossiers import DossierService
    from loket.storage.database import Database
    from loket.storage.store import Storage

    database = Database(f"sqlite:///{db}")
    storage = Storage(database)
    calendar = WorkingCalendar()
    catalog = Catalog.from_dirs(default_sop_dirs(folder))
    return SimpleNamespace(
        dossiers=DossierService(storage, catalog, calendar, system_clock),
        data_dir=folder,
        clock=system_clock,
        calendar=calendar,
        close=database.dispose,
    )


def _idle(tasks: ThreadTasks) -> bool:
    return tasks._readers.activeThreadCount() == 0


def bench_wizard(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="loket-bench-ui-") as folder:
        loket = open_loket(data_dir=Path(folder), create=True)
        try:
            admin = finish_first_run(loket, Office(), Admin("admin", "Admin", "bench-password-1"))
            clerk = loket.users.add_user(
                admin, username="fo", full_name="FO", role=Role.FRONT_OFFICE, password="x" * 8
            )
            tasks = ThreadTasks()
            wizard = IntakeWizard(build_session(loket, clerk, tasks))
            wizard.show()
            switches: list[float] = []
            for _ in range(rounds):
                wizard.reset()
                wizard.sop_page.select(68)
                switches.append(_timed(wizard.next))
                while wizard.current() is not wizard.applicant_page:
                    switches.append(_timed(wizard.next))
                wizard.applicant_page.name.set_text("Yohanes Dadi")
                wizard.applicant_page.nik.set_text("6108011203850001")
                while wizard.current() is not wizard.summary_page:
                    switches.append(_timed(wizard.next))
                while wizard.stack.currentIndex() > 0:
                    switches.append(_timed(wizard.back))
            tasks.wait()
            wizard.close()
        finally:
            loket.close()
    stack = QStackedWidget()
    stack.addWidget(QWidget())
    stack.addWidget(QWidget())
    stack.show()
    floor = [_timed(lambda i=i: stack.setCurrentIndex(i % 2)) for i in range(len(switches))]
    return {
        "page_switch": summary(switches),
        "floor_plain_stack_switch": summary(floor),
        "ratio_p50": round(statistics.median(switches) / max(statistics.median(floor), 1e-3), 2),
        "target_ms": 50,
    }


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    QApplication.processEvents()
    return (time.perf_counter() - began) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--starts", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    count = _count(args.db)
    results: dict[str, Any] = {
        "count": count,
        "database": str(args.db.relative_to(ROOT) if args.db.is_relative_to(ROOT) else args.db),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "qpa": os.environ.get("QT_QPA_PLATFORM"),
        },
    }
    results["startup"] = bench_startup(args.starts)
    print(json.dumps(results["startup"], indent=1))
    results["wizard"] = bench_wizard(args.rounds)
    print(json.dumps(results["wizard"], indent=1))
    results["search"] = bench_search(args.db)
    print(json.dumps(results["search"], indent=1))
    results["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"ui-{count}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    del app
    return 0


def _count(db: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(connection.execute("select count(*) from dossiers").fetchone()[0])
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
