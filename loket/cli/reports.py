"""``loket report monthly|sla``: the back office's reports from the command line.

For the office's IT person and scheduled tasks: the monthly report as PDF or
XLSX, and service-standard compliance as text or JSON. A role's queue is
``loket worklist`` (:mod:`loket.cli.worklist`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from loket.cli.output import write_output
from loket.domain.i18n import _
from loket.services.context import Loket, open_loket
from loket.services.monthly import monthly_document, parse_month
from loket.services.users import SYSTEM

EXIT_OK = 0
Handler = Callable[[argparse.Namespace], int]


def _open(args: argparse.Namespace) -> Loket:
    return open_loket(args.db, data_dir=args.data_dir)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("tanggal harus TTTT-BB-HH, misalnya 2026-11-01: {text}").format(text=text[:20])
        ) from None


def cmd_report_monthly(args: argparse.Namespace) -> int:
    month = parse_month(args.month)
    loket = _open(args)
    try:
        report = loket.back_office.monthly.report(SYSTEM, month)
        data = monthly_document(report, loket.office.office(), args.format)
    finally:
        loket.close()
    write_output(args.out, data)
    print(_("Ditulis: {path}").format(path=args.out))
    return EXIT_OK


def cmd_report_sla(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        rows = loket.back_office.sla.report(SYSTEM, args.start, args.end)
    finally:
        loket.close()
    if args.json:
        payload: dict[str, Any] = {
            "from": args.start.isoformat() if args.start else None,
            "to": args.end.isoformat() if args.end else None,
            "steps": [r.to_json() for r in rows],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        print(
            _(
                "SOP {sop} langkah {step}: {finished} selesai ({within} sesuai mutu baku, "
                "{late_done} terlambat), {late_open} masih berjalan dan terlambat; "
                "kepatuhan {share:.0%}, rata-rata {avg:.0f} menit, terlama {longest} menit"
            ).format(
                sop=r.sop_number,
                step=r.step_no,
                finished=r.finished,
                within=r.within,
                late_done=r.finished_late,
                late_open=r.running_late,
                share=r.share_within,
                avg=r.average_minutes,
                longest=r.longest_minutes,
            )
        )
    return EXIT_OK


def _add(sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler)
    return parser


def add_report_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``report monthly`` and ``report sla`` to ``loket``'s subparsers."""
    report = sub.add_parser("report", help=_("laporan back office")).add_subparsers(
        dest="report_command", required=True, parser_class=parser_class
    )
    monthly = _add(report, "monthly", cmd_report_monthly, _("laporan bulanan per SOP"))
    monthly.add_argument("--month", required=True, help=_("bulan, TTTT-BB (misalnya 2026-11)"))
    monthly.add_argument("--format", choices=["pdf", "xlsx"], required=True)
    monthly.add_argument("--out", type=Path, required=True, help=_("berkas keluaran"))
    sla = _add(report, "sla", cmd_report_sla, _("kepatuhan mutu baku per SOP dan langkah"))
    sla.add_argument("--from", dest="start", type=_date, help=_("tanggal awal (TTTT-BB-HH)"))
    sla.add_argument("--to", dest="end", type=_date, help=_("tanggal akhir (TTTT-BB-HH)"))
    sla.add_argument("--json", action="store_true")
