"""Documents: one receipt against a bare ReportLab page with one Code128 (the floor),
and the register of N dossiers exported to XLSX and PDF (time and peak memory).

Run: ``.venv/bin/python bench/bench_documents.py [--db bench/.cache/bench-100000.sqlite3]
[--rounds 30] [--skip-register]``. The database is only read (a copy of its
signing-key folder is made in a temporary data folder; no key is needed).

Peak memory of an export is measured in a child process (``ru_maxrss`` of the
children), against a floor child that only opens Loket, in the same run.
Results go to ``bench/results/documents-<count>.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.graphics.barcode.code128 import Code128  # noqa: E402
from reportlab.lib.pagesizes import A5  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from loket.documents import ExportFormat, PageFormat  # noqa: E402
from loket.documents.codes import CodeFlowable, CodeKind  # noqa: E402
from loket.documents.fonts import BOLD, REGULAR, register_fonts  # noqa: E402
from loket.documents.paths import PLACEHOLDER_LOGO  # noqa: E402
from loket.services.context import open_loket  # noqa: E402
from loket.services.reports import RegisterQuery  # noqa: E402
from loket.services.users import SYSTEM  # noqa: E402

DEFAULT_DB = ROOT / "bench" / ".cache" / "bench-100000.sqlite3"


def floor_page(number: str) -> bytes:
    """The least a barcoded page costs: one A5 page, one Code128, one line of text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5)
    Code128(number, barWidth=0.33 * mm, barHeight=14 * mm).drawOn(canvas, 20 * mm, 150 * mm)
    canvas.drawString(20 * mm, 140 * mm, number)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def parts_page(number: str, *, font: bool, qr: bool, logo: bool) -> bytes:
    """The floor plus one of the receipt's unavoidable ingredients at a time.

    ``font``: the text in the embedded DejaVu faces (regular and bold, 30 lines)
    instead of the viewer's Helvetica; ``qr``: the QR code as the receipt draws it;
    ``logo``: the office logo. What each adds over the floor says how near 2x a
    receipt made of all of them could ever get.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=True)
    Code128(number, barWidth=0.33 * mm, barHeight=14 * mm).drawOn(canvas, 20 * mm, 150 * mm)
    canvas.drawString(20 * mm, 140 * mm, number)
    if font:
        register_fonts()
        for line in range(30):
            canvas.setFont(BOLD if line % 3 == 0 else REGULAR, 9)
            canvas.drawString(12 * mm, (130 - 3.8 * line) * mm, PART_LINE)
    if qr:
        flowable = CodeFlowable(CodeKind.QR, number, [], module=0.8 * mm, height=0)
        flowable.drawOn(canvas, 100 * mm, 150 * mm)
    if logo:
        canvas.drawImage(str(PLACEHOLDER_LOGO), 12 * mm, 180 * mm, 18 * mm, 18 * mm, mask="auto")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


PART_LINE = "Pemohon : Budi Santoso — Jl. Pangeran Cinata No. 7, Ngabang, Kabupaten Landak"
PARTS = {
    "floor": {"font": False, "qr": False, "logo": False},
    "embedded_font_text": {"font": True, "qr": False, "logo": False},
    "qr_code": {"font": False, "qr": True, "logo": False},
    "logo": {"font": False, "qr": False, "logo": True},
    "all_three": {"font": True, "qr": True, "logo": True},
}


def bench_parts(number: str, rounds: int) -> dict[str, object]:
    """Each ingredient's page against the floor, interleaved, as ratios of p50."""
    times: dict[str, list[float]] = {name: [] for name in PARTS}
    for flags in PARTS.values():
        parts_page(number, **flags)
    for _ in range(rounds):
        for name, flags in PARTS.items():
            start = time.perf_counter()
            parts_page(number, **flags)
            times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["floor"])
    return {
        name: {**ms(samples), "ratio_p50": round(statistics.median(samples) / floor, 2)}
        for name, samples in times.items()
    }


def ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


def bench_receipt(db: Path, data_dir: Path, rounds: int) -> dict[str, object]:
    loket = open_loket(str(db), data_dir=data_dir)
    try:
        number = loket.dossiers.search(SYSTEM, limit=1)[0].number
        service: list[float] = []
        floor: list[float] = []
        # Receipts are audited writes: measured on the pure builder's path through
        # the service once (warm-up), then the render alone vs. the floor, interleaved.
        view = loket.dossiers.show(SYSTEM, number)
        from loket.documents import ReceiptData, load_texts, receipt_pdf
        from loket.services.documents import letterhead_of

        texts = load_texts()
        letterhead = letterhead_of(loket.office.office())
        data = ReceiptData(
            number=number,
            sop_number=view.sop.number,
            sop_name=view.sop.name,
            applicant=view.record.applicant.name,
            identity=view.record.applicant.nik,
            business=view.record.business.name if view.record.business else "",
            business_address="",
            received_at=view.record.received_at,
            service_days=5,
            promised=view.deadlines.dossier_due,
            officer="Petugas",
            received_items=tuple(c.name for c in view.record.checklist if c.received),
            missing_items=(),
        )
        receipt_pdf(data, letterhead, texts, PageFormat.A5)
        floor_page(number)
        for _ in range(rounds):
            start = time.perf_counter()
            receipt_pdf(data, letterhead, texts, PageFormat.A5)
            service.append(time.perf_counter() - start)
            start = time.perf_counter()
            floor_page(number)
            floor.append(time.perf_counter() - start)
    finally:
        loket.close()
    result: dict[str, object] = {"receipt": ms(service), "floor": ms(floor)}
    result["ratio_p50"] = round(statistics.median(service) / statistics.median(floor), 2)
    result["ingredients"] = bench_parts(number, rounds)
    return result


def child(db: str, data_dir: str, fmt: str, out: str) -> None:
    loket = open_loket(db, data_dir=Path(data_dir))
    try:
        start = time.perf_counter()
        if fmt != "none":
            data = loket.documents.register(SYSTEM, RegisterQuery(), ExportFormat(fmt))
            Path(out).write_bytes(data)
        elapsed = time.perf_counter() - start
    finally:
        loket.close()
    print(json.dumps({"seconds": elapsed}))


def run_child(db: Path, data_dir: Path, fmt: str, out: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            fmt,
            "--db",
            str(db),
            "--data-dir",
            str(data_dir),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
    # ru_maxrss of children is the largest child so far: run the floor first.
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(max(peak, before) / 1024, 1),
        "bytes": out.stat().st_size if out.exists() else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--skip-register", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        child(str(args.db), str(args.data_dir), args.child, str(args.out))
        return
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        results: dict[str, object] = {
            "db": str(args.db),
            "at": datetime.now().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "receipt_vs_floor": bench_receipt(args.db, data_dir, args.rounds),
        }
        if not args.skip_register:
            floor = run_child(args.db, data_dir, "none", data_dir / "none")
            results["register_floor_child"] = floor
            for fmt in ("xlsx", "pdf"):
                measured = run_child(args.db, data_dir, fmt, data_dir / f"register.{fmt}")
                measured["peak_over_floor_mb"] = round(
                    measured["peak_rss_mb"] - floor["peak_rss_mb"], 1
                )
                results[f"register_{fmt}"] = measured
        count = args.db.stem.rsplit("-", 1)[-1]
        out = ROOT / "bench" / "results" / f"documents-{count}.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
