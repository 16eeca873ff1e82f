"""``loket worklist``: one role's queue, as a clerk reads it.

A line per dossier, most urgent first: number, SOP and step, how the step
stands against its *mutu baku* ("terlambat", "mendekati batas", "sesuai
waktu", the desktop's words), the time left or past the deadline, the deadline,
the working days at the step, the applicant and who claimed it. ``--json``
keeps the machine codes (``overdue``, ISO times) for scripts.

Two units, each named where it is printed, on purpose:

- the time to or past the deadline is clock time ("sisa 2 jam 0 menit",
  "lewat 1 hari 3 jam"), as the desktop's queue shows it and as the applicant
  waits it; the deadline is printed next to it, so the figure can be checked;
- the days at the step are working days ("3 hari kerja di langkah ini"), the
  unit the SOPs write their standards in, so they compare directly with the
  standard; a weekend does not count as two days of delay.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from loket.domain.calendar import ClockState
from loket.domain.formatting import short_datetime
from loket.domain.i18n import _
from loket.domain.roles import Role
from loket.services.context import open_loket
from loket.services.users import SYSTEM
from loket.services.worklists import WorkRow, countdown


def state_word(state: ClockState) -> str:
    """The desktop's word for a step's colour, without the colour."""
    words = {
        ClockState.ON_TIME: _("sesuai waktu"),
        ClockState.WARNING: _("mendekati batas"),
        ClockState.OVERDUE: _("terlambat"),
    }
    return words[state]


def worklist_line(row: WorkRow, now: datetime) -> str:
    """One dossier of the queue on one line, every figure with its unit."""
    claimed = _("  (diklaim {name})").format(name=row.claimed_name) if row.claimed_name else ""
    return "  ".join(
        (
            f"{row.number:<22}",
            _("SOP {sop} langkah {step}").format(sop=row.sop_number, step=row.step_no).ljust(17),
            f"{state_word(row.state):<15}",
            f"{countdown(row, now):<22}",
            _("batas {due}").format(due=short_datetime(row.due_at)),
            _("{days} hari kerja di langkah ini").format(days=row.days_in_step).ljust(28),
            f"{row.applicant}{claimed}",
        )
    )


def _row_json(row: WorkRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "sop": row.sop_number,
        "step": row.step_no,
        "applicant": row.applicant,
        "days_in_step": row.days_in_step,
        "due": row.due_at.isoformat(),
        "fraction_used": round(row.fraction_used, 4),
        "state": row.state.value,
        "claimed_by": row.claimed_name or None,
    }


def cmd_worklist(args: argparse.Namespace) -> int:
    loket = open_loket(args.db, data_dir=args.data_dir)
    try:
        rows = loket.back_office.worklists.rows(SYSTEM, role=args.role, limit=args.limit)
        now = loket.clock()
    finally:
        loket.close()
    if args.json:
        print(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("Tidak ada berkas dalam antrean {role}.").format(role=args.role.label))
    for row in rows:
        print(worklist_line(row, now).rstrip())
    return 0


def _role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("peran tidak dikenal: {text} (pilihan: {roles})").format(
                text=text[:40], roles=", ".join(r.value for r in Role)
            )
        ) from None


def add_worklist_command(sub: Any) -> None:
    """Add ``worklist`` to ``loket``'s subparsers."""
    help_text = _("daftar kerja satu peran, yang paling mendesak di atas")
    worklist = sub.add_parser("worklist", help=help_text, description=help_text)
    worklist.set_defaults(handler=cmd_worklist)
    worklist.add_argument(
        "--role",
        type=_role,
        required=True,
        help=_("peran: {roles}").format(roles=", ".join(r.value for r in Role)),
    )
    worklist.add_argument("--limit", type=int, default=100, help=_("paling banyak sekian baris"))
    worklist.add_argument("--json", action="store_true", help=_("keluaran JSON untuk skrip"))
