"""The monthly report (*laporan bulanan*) per SOP.

Received, issued, returned to the applicant, rejected and still in process;
compliance with the standard per step; the average time from receipt to the
permit; and the IKM score of the month's survey answers. The counts are
aggregate queries on indexed dates; only the permits of the month are walked on
the calendar, to measure their office time.

"In process" at the end of the month leaves out the dossiers returned to the
applicant (*berkas dikembalikan*): the office is not working on them, the
applicant is. They are a column of their own ("Menunggu pemohon").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from loket.documents.monthly import MonthlySheet, monthly_pdf, monthly_xlsx
from loket.domain.calendar import WorkingCalendar
from loket.domain.dossier import Outcome, Status
from loket.domain.formatting import decimal, percent
from loket.domain.formatting import number as grouped
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.documents import letterhead_of
from loket.services.errors import InvalidInput
from loket.services.office import Office
from loket.services.sla import SlaRow, SlaService
from loket.services.survey import ELEMENTS, IkmScore, SurveyService
from loket.services.survey import ikm as score_of
from loket.services.users import User, require
from loket.services.worklists import SopBook
from loket.storage.store import Storage, Store

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
#: Returned dossiers read per query when counting those still returned at a past month's end.
_PAGE = 1000


@dataclass(frozen=True, slots=True)
class SopMonth:
    sop_number: int
    sop_name: str
    received: int
    issued: int
    returned: int
    sent_back: int
    rejected: int
    in_process: int  # at the end of the month, without the returned ones
    awaiting_applicant: int  # returned to the applicant and not brought back by the month's end
    average_days: float  # office time from receipt to signing, in working days
    steps: tuple[SlaRow, ...]
    ikm: IkmScore


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    month: date  # the first day of the month
    sops: tuple[SopMonth, ...]
    ikm: IkmScore  # the whole office
    made_at: datetime
    #: When the steps still running were checked against their due time; None for a
    #: month already over (see :meth:`MonthlyService.report`).
    running_checked_at: datetime | None = None

    @property
    def title(self) -> str:
        return _("Laporan Bulanan {month}").format(month=self.month.strftime("%m/%Y"))


def parse_month(text: str) -> date:
    """``2026-11`` to 1 November 2026; anything else is refused in Indonesian."""
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1900:
        raise InvalidInput(
            _("Bulan harus ditulis TTTT-BB, misalnya 2026-11: {text}").format(text=text[:20])
        )
    return date(int(found[1]), int(found[2]), 1)


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


class MonthlyService:
    def __init__(
        self,
        storage: Storage,
        sops: SopBook,
        calendar: WorkingCalendar,
        sla: SlaService,
        survey: SurveyService,
        clock: Callable[[], datetime],
    ) -> None:
        self._storage = storage
        self._sops = sops
        self._calendar = calendar
        self._sla = sla
        self._survey = survey
        self._clock = clock

    def report(self, actor: User, month: date) -> MonthlyReport:
        require(actor, Permission.VIEW_DOSSIERS)
        first = month.replace(day=1)
        tz = self._calendar.tz
        start = datetime.combine(first, time(), tzinfo=tz)
        end = datetime.combine(next_month(first), time(), tzinfo=tz)
        now = self._clock()
        self._sla.refresh()
        with self._storage.reading() as store:
            received = store.received_by_sop(start, end)
            issued = store.issued_by_sop(start, end)
            outcomes = store.outcomes_by_sop(start, end)
            unfinished = store.in_process_by_sop(end)
            returned = _returned_at(store, end, now)
            durations = store.issued_durations(start, end)
            steps = store.step_stats(first, next_month(first))
        in_process = {s: n - returned.get(s, 0) for s, n in unfinished.items()}
        ikm = self._survey.score(actor, start, end)
        running_checked_at = now if start <= now < end else None
        late = self._sla.running_late(now) if running_checked_at else {}
        sla_rows = {(r.sop_number, r.step_no): r for r in self._sla.rows(steps, late)}
        numbers = sorted(
            set(received)
            | set(issued)
            | set(in_process)
            | {s for s, _o in outcomes}
            | {s for s, _n in sla_rows}
        )
        no_answers = score_of(0, (0,) * ELEMENTS)
        day = self._calendar.day_length.total_seconds() / 60
        sops = []
        for number in numbers:
            minutes = [
                self._calendar.working_minutes_between(r, i)
                for s, _v, r, i in durations
                if s == number
            ]
            sop = self._sops.latest(number)
            sops.append(
                SopMonth(
                    sop_number=number,
                    sop_name=sop.name if sop else "",
                    received=received.get(number, 0),
                    issued=issued.get(number, 0),
                    returned=outcomes.get((number, Outcome.RETURNED.value), 0),
                    sent_back=outcomes.get((number, Outcome.SENT_BACK.value), 0),
                    rejected=outcomes.get((number, Outcome.REJECTED.value), 0),
                    in_process=in_process.get(number, 0),
                    awaiting_applicant=returned.get(number, 0),
                    average_days=(sum(minutes) / len(minutes) / day) if minutes else 0.0,
                    steps=tuple(r for (s, _n), r in sorted(sla_rows.items()) if s == number),
                    ikm=ikm.get(number) or no_answers,
                )
            )
        return MonthlyReport(first, tuple(sops), ikm[None], now, running_checked_at)


def _returned_at(store: Store, moment: datetime, now: datetime) -> dict[int, int]:
    """Per SOP, the dossiers returned to the applicant and not brought back at ``moment``.

    At a moment not yet past, these are the dossiers whose status is *returned*. For
    a past moment, the dossiers still returned now whose return (their last finished
    visit) came before it; a dossier returned then but brought back or cancelled
    since is not seen, because the stored queries give no state as of a past moment.
    """
    if moment > now:
        counts = store.status_counts_by_sop()
        return {s: n for (s, status), n in counts.items() if status == Status.RETURNED.value}
    found: dict[int, int] = {}
    after: tuple[datetime, str] | None = None
    while True:
        page = store.register_entries(
            start=None,
            end=moment,
            sop_number=None,
            status=Status.RETURNED,
            after=after,
            limit=_PAGE,
        )
        for entry in page:
            returned_at = entry.finished[-1][1] if entry.finished else entry.received_at
            if returned_at < moment:
                found[entry.sop_number] = found.get(entry.sop_number, 0) + 1
        if len(page) < _PAGE:
            return found
        after = (page[-1].received_at, page[-1].number)


def _minutes_text(minutes: float) -> str:
    return decimal(minutes, 0)


def monthly_sheet(report: MonthlyReport) -> MonthlySheet:
    """The report's texts and figures, ready for the PDF and the workbook."""
    sop_rows = tuple(
        (
            f"SOP {s.sop_number} {s.sop_name}",
            grouped(s.received),
            grouped(s.issued),
            grouped(s.returned),
            grouped(s.sent_back),
            grouped(s.rejected),
            grouped(s.in_process),
            grouped(s.awaiting_applicant),
            decimal(s.average_days, 2),
            f"{decimal(s.ikm.converted, 2)} {s.ikm.grade}".strip() if s.ikm.respondents else "-",
        )
        for s in report.sops
    )
    running = report.running_checked_at is not None
    step_rows = tuple(
        (
            str(r.sop_number),
            str(r.step_no),
            r.activity,
            _minutes_text(r.standard_minutes),
            grouped(r.finished),
            grouped(r.within),
            grouped(r.finished_late),
            grouped(r.running_late) if running else "-",
            percent(r.share_within),
            _minutes_text(r.average_minutes),
            grouped(r.longest_minutes),
        )
        for s in report.sops
        for r in s.steps
    )
    ikm = report.ikm
    ikm_lines = (
        _("IKM kantor: {score} (mutu {grade}, {label}) dari {n} responden.").format(
            score=decimal(ikm.converted, 2),
            grade=ikm.grade or "-",
            label=ikm.grade_label,
            n=ikm.respondents,
        ),
    )
    return MonthlySheet(
        title=report.title,
        period=_("Periode {first} s.d. {last}").format(
            first=report.month.strftime("%d-%m-%Y"),
            last=(next_month(report.month) - timedelta(days=1)).strftime("%d-%m-%Y"),
        ),
        sop_headers=(
            _("Jenis izin"),
            _("Diterima"),
            _("Terbit"),
            _("Dikembalikan"),
            _("Dikirim balik"),
            _("Ditolak"),
            _("Dalam proses"),
            _("Menunggu pemohon"),
            _("Rata-rata hari kerja"),
            _("IKM"),
        ),
        sop_rows=sop_rows,
        step_headers=(
            _("SOP"),
            _("Langkah"),
            _("Kegiatan"),
            _("Mutu baku (menit)"),
            _("Selesai"),
            _("Sesuai mutu baku"),
            _("Selesai terlambat"),
            _("Masih berjalan, terlambat"),
            _("Kepatuhan"),
            _("Rata-rata (menit)"),
            _("Terlama (menit)"),
        ),
        step_rows=step_rows,
        ikm_lines=ikm_lines,
        chart_title=_("Berkas per jenis izin"),
        chart_groups=tuple(f"SOP {s.sop_number}" for s in report.sops),
        chart_series=(
            (_("Diterima"), tuple(s.received for s in report.sops)),
            (_("Terbit"), tuple(s.issued for s in report.sops)),
            (_("Dikembalikan"), tuple(s.returned for s in report.sops)),
            (_("Ditolak"), tuple(s.rejected for s in report.sops)),
            (_("Dalam proses"), tuple(s.in_process for s in report.sops)),
        ),
        compliance_title=_("Kepatuhan mutu baku per langkah (%)"),
        compliance=tuple(
            (f"SOP {r.sop_number} / {r.step_no}", round(100 * r.share_within, 1))
            for s in report.sops
            for r in s.steps
        ),
        footer=_("Dibuat oleh Loket pada {moment}.").format(
            moment=report.made_at.strftime("%d-%m-%Y %H:%M")
        ),
        notes=_notes(report),
    )


def _notes(report: MonthlyReport) -> tuple[str, ...]:
    """What the columns count, so that the printed figures read the same to everyone."""
    process = _(
        "Dalam proses: berkas yang belum selesai pada akhir bulan, tanpa berkas yang "
        "dikembalikan kepada pemohon (kolom Menunggu pemohon)."
    )
    if report.running_checked_at is None:
        running = _(
            "Masih berjalan, terlambat: hanya dihitung untuk bulan berjalan; untuk bulan "
            'yang sudah lewat ditulis "-" dan kepatuhan dihitung dari langkah yang selesai.'
        )
    else:
        running = _(
            "Masih berjalan, terlambat: langkah yang belum selesai dan sudah melewati batas "
            "mutu bakunya pada {moment}. Kepatuhan = sesuai mutu baku dibagi (selesai + "
            "masih berjalan, terlambat)."
        ).format(moment=report.running_checked_at.strftime("%d-%m-%Y %H:%M"))
    return process, running


def monthly_document(report: MonthlyReport, office: Office, fmt: str) -> bytes:
    """The report as ``pdf`` or ``xlsx`` bytes."""
    sheet = monthly_sheet(report)
    if fmt == "xlsx":
        return monthly_xlsx(sheet)
    if fmt == "pdf":
        return monthly_pdf(sheet, letterhead_of(office))
    raise InvalidInput(_("Format laporan harus pdf atau xlsx."))
