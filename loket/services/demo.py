"""Demo dossiers: a believable year of an office's work, made by the real workflow rules.

``generate_demo`` fills a database with dossiers for every SOP in the catalog,
in every state a dossier can be in (in progress at every step, returned,
rejected, cancelled, issued, handed over, sent back once), from applicants with
Dayak, Malay, Chinese-Indonesian and Javanese names, Landak addresses (and a few
from elsewhere), valid NIKs, NIBs, NPWPs and phone numbers, received on working
days in office hours over the past ~400 days.

Every state is reached through :func:`loket.workflow.advance`, exactly as the
counter and the back office would reach it, and every action leaves the audit
entry and the outbox entry that :class:`~loket.services.dossiers.DossierService`
writes (same fields, same JSON), so the demo data is always legal data and the
audit chain verifies afterwards.

What the office records beside the workflow is there too
(:mod:`loket.services.demo_records`): who received each handed-over permit
(the applicant, or a *kuasa* with their own NIK), a Berita Acara Pemeriksaan for
every visit of an inspection step (dated within the visit, its date and
recommendation repeated in the step's fields; a date set for dossiers still
waiting for the visit), and survey answers from ~40 % of the applicants at
handover. Reasons fit what happened (:mod:`loket.services.demo_reasons`): files
"not completed within 14 days" only after 14 days out, field findings only from
the inspection step. These records are stored through the store methods their
services use, after the dossiers they belong to are committed, but without the
services' audit entries (``handover_receiver``, ``inspection_recorded``,
``survey``): the bulk writer cannot write an audit entry without an outbox entry,
and entries appended afterwards would break the log's time order.

It is built for a million dossiers: each dossier's history is run through the
pure engine in memory (in worker processes for large counts), and its rows are
written in large batches by :mod:`loket.storage.bulk`. The actions of all
dossiers are merged in time order before they are written, so the audit log,
the outbox and the gapless permit numbers read chronologically, as a real
office's would. Dossier numbers are taken up front, in order of reception.

Contents are deterministic for a given ``seed``, ``count`` and ``now``; keys
(UUIDs) are fresh on every run, so running it twice adds more dossiers.

Rows are committed every 20,000 dossiers, then those dossiers' records (while
worker processes plan on); meanwhile other writers wait for the database lock.
A run that fails half-way keeps what was committed (a valid audit chain whose
latest entries may name dossiers that were not written yet, or dossiers
without their records): it is demo data, for a demo or benchmark database.
The cyclic garbage collector is paused during the run (the plans hold no
reference cycles).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import heapq
import math
import multiprocessing
import os
import random
import time
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from argon2 import PasswordHasher

from loket.domain.calendar import WorkingCalendar, add_years
from loket.domain.dossier import DossierState, Status
from loket.domain.i18n import _
from loket.domain.numbering import (
    DEFAULT_DOSSIER_PATTERN,
    DEFAULT_PERMIT_PATTERN,
    NumberPattern,
    dossier_counter_name,
    dossier_pattern,
    permit_counter_name,
    permit_pattern,
    roman_month,
)
from loket.domain.roles import Role
from loket.domain.sop import (
    DECIDING_KINDS,
    RETURNABLE_KINDS,
    ApplicantKind,
    FieldType,
    Requirement,
    Sop,
    Step,
    StepKind,
)
from loket.services.context import Loket
from loket.services.demo_reasons import (
    cancel_reason,
    reject_reason,
    return_reason,
    send_back_reason,
)
from loket.services.demo_records import (
    InspectionPlan,
    Outcome,
    ReceiverPlan,
    Records,
    Site,
    SurveyPlan,
    inspection_report,
    inspection_team,
    survey_scores,
    survey_suggestion,
    write_records,
)
from loket.services.dossiers import store_sop_snapshot
from loket.services.errors import InvalidInput
from loket.services.office import Office
from loket.services.users import SYSTEM, write_new_user
from loket.storage.audit import canonical_json
from loket.storage.bulk import BulkWriter, bulk_writing, codec_for, reserve_counters
from loket.storage.rows import IdMaker, Row, RowCodec, json_string, uuid7_text
from loket.storage.store import UserRecord
from loket.workflow import Acting, Action, Command, Refusal, advance, start

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoReport", "generate_demo"]

DEMO_PASSWORD = "demo12345"  # published: demo accounts only

#: One demo account per role: username, role, full name, NIP.
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("demo.fo", Role.FRONT_OFFICE, "Yohana Ekawati, A.Md.", "199003152015032004"),
    ("demo.bo", Role.BACK_OFFICE, "Rudi Hartono, S.E.", "198707222011011002"),
    ("demo.tt", Role.TIM_TEKNIS, "Agustinus Alon, S.T.", "198511092010011005"),
    ("demo.kasi", Role.KASI_PERIZINAN, "Gusti Muhammad Rizal, S.Sos.", "197912042005011003"),
    ("demo.kabid", Role.KABID_PERIZINAN, "Maria Goreti Ledi, S.H., M.H.", "197805172003122006"),
    ("demo.sekretariat", Role.SEKRETARIAT, "Siti Rahmawati, S.AP.", "198202282009032001"),
    ("demo.kadis", Role.KEPALA_DINAS, "Yulianus Anton, S.Hut., M.Si.", "197103101998031007"),
    ("demo.admin", Role.ADMIN, "Hendra Wijaya, S.Kom.", "199206302019031004"),
)
#: The setting that marks a database as made for the demo: later demos may add to it.
DEMO_MARK = "demo_database"
_DEMO_ADMIN = next(name for name, role, _full, _nip in DEMO_USERS if role is Role.ADMIN)
#: The demo Kepala Dinas's rank, as the permit's signature block prints it.
DEMO_HEAD_RANK = "Pembina Tingkat I (IV/b)"
#: How the demo Tim Teknis member signs a BAP (first line of every inspection team).
INSPECTION_LEAD = next(
    f"{full} (Tim Teknis, NIP {nip})"
    for _u, role, full, nip in DEMO_USERS
    if role is Role.TIM_TEKNIS
)

HISTORY_DAYS = 400
CHUNK = 500  # dossiers planned together (and the unit of work of a worker process)
DOSSIERS_PER_TRANSACTION = 20_000
PARALLEL_FROM = 20_000  # below this many dossiers, planning stays in this process
COVERAGE_MIN_AGE_DAYS = 150  # dossiers forced into a state are at least this old
COLUMN_FIELDS = ("sicantik_no", "oss_nib")  # step fields also kept on the dossier row
SURVEY_SHARE = 0.4  # handed-over applicants who answer the satisfaction survey
SCHEDULED_SHARE = 0.6  # dossiers waiting for the field visit that have a date for it
RETURN_ANY = "Berkas belum sesuai; mohon dilengkapi."

# --- what Landak looks like ------------------------------------------------------------
# fmt: off

#: Kecamatan of Kabupaten Landak (Kemendagri 61.08.01-13), a weight for how many
#: applicants come from each, and some of their desa.
KECAMATAN: tuple[tuple[str, str, float, tuple[str, ...]], ...] = (
    ("610801", "Ngabang", 3.0, (
        "Hilir Kantor", "Hilir Tengah", "Raja", "Amboyo Inti", "Amboyo Utara", "Amboyo Selatan",
        "Pak Mayam", "Tebedak", "Sebirang", "Antan Rayan", "Mungguk", "Engkadu",
    )),
    ("610802", "Mempawah Hulu", 1.5, (
        "Karangan", "Sampuro", "Tiang Tanjung", "Sailo", "Ansolok", "Salumang",
    )),
    ("610803", "Menjalin", 1.0, (
        "Menjalin", "Sepahat", "Lamoanak", "Tempoak", "Nangka", "Raba",
    )),
    ("610804", "Mandor", 1.5, (
        "Mandor", "Kayu Tanam", "Pongok", "Sebadu", "Mengkunyit", "Sumsum", "Ngarak",
    )),
    ("610805", "Air Besar", 1.0, (
        "Serimbu", "Sekendal", "Engkangin", "Parek", "Temoyok", "Nyari",
    )),
    ("610806", "Menyuke", 1.2, (
        "Darit", "Songga", "Mamek", "Ansang", "Tolok", "Ongkol Padang",
    )),
    ("610807", "Sengah Temila", 2.0, (
        "Pahauman", "Sidas", "Senakin", "Aur Sampuk", "Keranji Mancal", "Rabak",
    )),
    ("610808", "Meranti", 0.6, (
        "Meranti", "Moro Betung", "Ampadi", "Selange",
    )),
    ("610809", "Kuala Behe", 0.7, (
        "Kuala Behe", "Tanjung Balai", "Nyayum", "Permiit", "Kedama",
    )),
    ("610810", "Sebangki", 0.7, (
        "Sebangki", "Agak", "Sungai Segak", "Kumpang Tengah", "Rantau Panjang",
    )),
    ("610811", "Jelimpo", 1.0, (
        "Jelimpo", "Papung", "Sekais", "Temahar", "Balai Peluntan", "Kayu Ara",
    )),
    ("610812", "Banyuke Hulu", 0.5, (
        "Kampet", "Padang Pio", "Semade", "Untang", "Gamang",
    )),
    ("610813", "Sompak", 0.5, (
        "Sompak", "Pauh", "Galar", "Pakumbang", "Lingkonong",
    )),
)
_KECAMATAN_CUM = tuple(sum(k[2] for k in KECAMATAN[: i + 1]) for i in range(len(KECAMATAN)))

#: Applicants from elsewhere: NIK region, kabupaten/kota, kecamatan, desa/kelurahan.
ELSEWHERE: tuple[tuple[str, str, str, str], ...] = (
    ("617105", "Kota Pontianak", "Pontianak Kota", "Sungai Bangkong"),
    ("617101", "Kota Pontianak", "Pontianak Selatan", "Benua Melayu Darat"),
    ("611203", "Kubu Raya", "Sungai Raya", "Sungai Raya Dalam"),
    ("610207", "Mempawah", "Sungai Pinyuh", "Sungai Pinyuh"),
    ("610301", "Sanggau", "Kapuas", "Beringin"),
    ("610701", "Bengkayang", "Bengkayang", "Sebalo"),
)
#: Where transmigrant families were first registered (Central and East Java).
JAVA_REGIONS = (
    "330901", "331004", "350401", "350702", "331505",
)

LANDAK_STREETS = (
    "Jl. Raya Ngabang–Pontianak Km {km}",
    "Jl. Raya Ngabang–Sanggau Km {km}",
    "Jl. Lintas Landak Km {km}",
    "Jl. Pemuda No. {no}",
    "Jl. Merdeka No. {no}",
    "Jl. Bhayangkara No. {no}",
    "Jl. Pendidikan No. {no}",
)
TOWN_STREETS = (
    "Jl. Gajah Mada No. {no}",
    "Jl. Ahmad Yani Gg. Harapan No. {no}",
    "Jl. Sungai Raya Dalam Komp. Mitra Indah No. {no}",
)

# Names: given names and second names by community, as they appear on KTPs in Landak.
DAYAK_MEN = (
    "Yohanes", "Paulus", "Petrus", "Stefanus", "Agustinus", "Fransiskus", "Yosef", "Antonius",
    "Martinus", "Ignatius", "Blasius", "Kornelius", "Yulianus", "Markus", "Lukas", "Matius",
    "Simon", "Andreas", "Aleksius", "Benediktus", "Donatus", "Damianus", "Hilarius", "Vinsensius",
    "Yustinus", "Laurensius", "Heribertus", "Klemens", "Siprianus", "Adrianus", "Herkulanus",
    "Krisantus", "Sabinus", "Silvester", "Valentinus",
)
DAYAK_WOMEN = (
    "Maria", "Yuliana", "Veronika", "Agnes", "Theresia", "Lusia", "Margareta", "Elisabeth",
    "Magdalena", "Rosalia", "Katarina", "Sesilia", "Skolastika", "Yosefina", "Fransiska",
    "Natalia", "Yohana", "Kristina", "Emiliana", "Anastasia", "Bernadeta", "Florentina", "Helena",
    "Paulina", "Serafina",
)
DAYAK_SECOND = (
    "Aloy", "Ahon", "Atet", "Ancong", "Ajun", "Anyin", "Asen", "Atan", "Akim", "Alon", "Ason",
    "Aweng", "Bujang", "Dahan", "Jamin", "Kunyi", "Linggo", "Mering", "Ranto", "Sabang",
    "Tingang", "Amon", "Apin", "Arit", "Ludan", "Nyangkot", "Rimbun", "Sunan", "Ujang", "Kamel",
)
MALAY_MEN = (
    "Muhammad", "Ahmad", "Abdul Rahman", "Syarif", "Hamdan", "Rusli", "Zulkifli", "Samsudin",
    "Yusuf", "Ismail", "Hasan", "Usman", "Ridwan", "Hendra", "Syahrul", "Fadli", "Rizal",
    "Iskandar", "Jamaludin", "Khairul", "Azhar", "Firdaus", "Rahmat", "Safarudin",
)
MALAY_SECOND = (
    "Fauzi", "Effendi", "Hidayat", "Saputra", "Ramadhan", "Hamid", "Rasyid", "Anwar", "Syahputra",
    "Abdullah", "Hakim", "Salim", "Basri", "Syukri", "Zainal", "Arsyad", "Mahmud", "Kurniawan",
)
MALAY_WOMEN = (
    "Siti Aminah", "Nurhayati", "Rahmawati", "Fatimah Azzahra", "Nurul Huda", "Aisyah Putri",
    "Halimah", "Zainab", "Rosmawati", "Juliana", "Hafsah", "Mariam", "Rohani", "Nurlela",
    "Syarifah Nurjanah", "Wan Rosnah", "Dayang Suriani", "Rosita", "Nur Aini", "Hasnah",
)
CHINESE_GIVEN_MEN = (
    "Hendra", "Budi", "Suryadi", "Andi", "Herman", "Johan", "Rudi", "Susanto", "Hartono", "Yanto",
    "Ferry", "Tomy", "Willy", "Edi", "Acong", "Ahin", "Akiong", "Asui",
)
CHINESE_GIVEN_WOMEN = (
    "Lily", "Linda", "Susan", "Meliana", "Yenny", "Lina", "Mei Ling", "Fenny", "Vivi", "Siska",
    "Ayin", "Amei",
)
CHINESE_SURNAMES = (
    "Lim", "Tan", "Bong", "Tjhai", "Lie", "Phang", "Tjhin", "Liu", "Chin", "Lo", "Kho", "Lay",
    "Ng", "Thong", "Wong", "Tjong", "Jap", "Fung", "Chai", "Hiu",
)
CHINESE_SYLLABLES = (
    "Ah", "Kim", "Fat", "Sui", "Lan", "Ket", "Fa", "Kiong", "Fui", "Nyuk", "Sin", "Hin", "Siong",
    "Cin", "Fong", "Jun", "Thai", "Khim", "Mei", "Lie", "Sen", "Phin",
)
JAVANESE_MEN = (
    "Sutrisno", "Suparman", "Slamet", "Sugiyanto", "Wahyudi", "Joko", "Bambang", "Suyatno",
    "Purwanto", "Mulyono", "Tukiman", "Eko", "Agus", "Budi", "Sukardi", "Darmaji", "Hadi",
    "Teguh", "Sutarjo", "Warsito",
)
JAVANESE_SECOND = (
    "Riyadi", "Susilo", "Purnomo", "Prasetyo", "Setiawan", "Santoso", "Susanto", "Wibowo",
    "Nugroho", "Utomo", "Widodo", "Hartanto",
)
JAVANESE_WOMEN = (
    "Sri Wahyuni", "Sumarni", "Suwarni", "Sri Rahayu", "Endang Lestari", "Tri Wahyuningsih",
    "Siti Maryam", "Dwi Astuti", "Sukarmi", "Ngatini", "Wartini", "Ratna Dewi", "Puji Handayani",
    "Suprihatin", "Sulastri",
)

COMPANY_WORDS = (
    "Maju Jaya", "Sinar Landak", "Karya Mandiri", "Borneo Raya", "Kanayatn Sejahtera",
    "Ngabang Indah", "Berkah Abadi", "Tiga Saudara", "Putra Mandor", "Cahaya Khatulistiwa",
    "Bumi Landak", "Rezeki Bersama", "Harapan Baru", "Sumber Rejeki", "Mitra Usaha",
    "Damai Sentosa", "Sebangki Jaya", "Menjalin Makmur", "Kapuas Lestari", "Pancur Aji",
    "Sengah Temila Jaya", "Dua Putri", "Anugerah Borneo", "Setia Kawan",
)
WORKSHOP_WORDS = (
    "Jaya", "Abadi", "Maju", "Sinar", "Berkah", "Karya", "Mandiri", "Sejahtera", "Sentosa",
    "Putra", "Dua Saudara", "Landak", "Kanayatn", "Barokah", "Harapan", "Rezeki", "Cepat",
    "Mantap", "Prima",
)
TRANSPORT_SUFFIXES = (
    "Trans", "Transport", "Logistik", "Travel",
)

RECOMMENDATIONS = (
    "Layak diterbitkan.",
    "Layak diterbitkan dengan catatan: tambah rambu parkir.",
    "Layak; area parkir memadai.",
    "Layak diterbitkan; saluran air perlu dirawat.",
)

# fmt: on

# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoReport:
    count: int  # dossiers made
    by_status: dict[str, int]
    by_sop: dict[int, int]
    rows: dict[str, int]  # rows written per table
    users_created: tuple[str, ...]
    seconds: float
    workers: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def dossiers_per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


# --- office time --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Office time as one line of seconds: working days laid end to end, office hours only.

    Position ``p`` is second ``p % day_len`` of working day ``p // day_len``, so a
    duration added to a position never lands on a weekend, a holiday or a night.
    """

    day_len: int
    day_epochs: tuple[int, ...]  # opening time of each working day, Unix seconds
    day_years: tuple[int, ...]
    day_months: tuple[int, ...]
    day_dates: tuple[date, ...]
    now_pos: int

    @classmethod
    def build(cls, calendar: WorkingCalendar, now: datetime, days: int) -> _Timeline:
        tz = calendar.tz
        today = now.astimezone(tz).date()
        day_len = int(calendar.day_length.total_seconds())
        dates = [
            d
            for d in (today - timedelta(days=days - i) for i in range(days + 1))
            if calendar.is_working_day(d)
        ]
        epochs = [int(datetime.combine(d, calendar.opening, tzinfo=tz).timestamp()) for d in dates]
        last = bisect_right(epochs, int(now.timestamp())) - 1
        if last < 0:
            raise InvalidInput(_("Tidak ada hari kerja dalam rentang data demo."))
        into = min(int(now.timestamp()) - epochs[last], day_len - 1)
        return cls(
            day_len,
            tuple(epochs[: last + 1]),
            tuple(d.year for d in dates[: last + 1]),
            tuple(d.month for d in dates[: last + 1]),
            tuple(dates[: last + 1]),
            last * day_len + into,
        )

    def epoch(self, pos: int) -> int:
        day, second = divmod(pos, self.day_len)
        return self.day_epochs[day] + second


# --- static context of a run (shipped once to each worker) --------------------------------


@dataclass(frozen=True, slots=True)
class _SopPlan:
    """What the planner needs to know about one SOP, worked out once."""

    sop: Sop
    leading: tuple[Step, ...]  # walkable at registration (applicant and intake steps)
    can_return_at_intake: bool
    returnable: tuple[int, ...]  # steps after registration where files may be returned
    deciding: tuple[int, ...]  # steps that may reject
    send_back: tuple[tuple[int, tuple[int, ...]], ...]  # deciding step, its targets
    standard: dict[int, int]  # office seconds per step
    roles: dict[int, Role]
    requirements: dict[bool, tuple[Requirement, ...]]  # by "is a company"
    business: str  # "workshop", "pool" or "other"
    company_share: float
    has_floor_plan: bool  # the SOP asks for a floor plan (denah)

    @classmethod
    def of(cls, sop: Sop, calendar: WorkingCalendar) -> _SopPlan:
        steps = sop.steps
        leading: list[Step] = []
        for step in steps:
            if step.kind not in (StepKind.APPLICANT, StepKind.INTAKE):
                break
            leading.append(step)
        first_counter = next((s for s in steps if s.kind is not StepKind.APPLICANT), None)
        after = steps[len(leading) :]
        deciding = tuple(s.no for s in steps if s.kind in DECIDING_KINDS)
        send_back = tuple(
            (s.no, targets)
            for s in steps
            if s.kind in DECIDING_KINDS
            and (
                targets := tuple(
                    t.no for t in steps if t.no < s.no and t.kind is not StepKind.APPLICANT
                )
            )
        )
        text = f"{sop.name} {sop.permit.title}".casefold()
        business = "workshop" if "bengkel" in text else "pool" if "pool" in text else "other"
        return cls(
            sop=sop,
            leading=tuple(leading),
            can_return_at_intake=first_counter is not None
            and first_counter.kind in RETURNABLE_KINDS,
            returnable=tuple(s.no for s in after if s.kind in RETURNABLE_KINDS),
            deciding=deciding,
            send_back=send_back,
            standard={s.no: calendar.standard_minutes(s.time) * 60 for s in steps},
            roles={s.no: Role(s.acting_role.value) for s in steps},
            requirements={
                False: sop.requirements_for(ApplicantKind.INDIVIDUAL),
                True: sop.requirements_for(ApplicantKind.COMPANY),
            },
            business=business,
            company_share=0.7 if business == "pool" else 0.25,
            has_floor_plan=any(q.key == "denah" for q in sop.requirements),
        )


@dataclass(frozen=True, slots=True)
class _Context:
    seed: int
    salt: int  # makes this run's keys its own
    plans: tuple[_SopPlan, ...]
    timeline: _Timeline
    users: dict[Role, tuple[str, str, str]]  # id, username, role
    actings: dict[Role, Acting]
    codec: RowCodec
    station: str
    window_ms: int  # stamps keys made for applicants and businesses

    def acting(self, role: Role) -> Acting:
        return self.actings[role]


class _Item(NamedTuple):
    pos: int  # when the applicant walked in
    sop: int  # index into _Context.plans
    company: bool
    person: int
    number: str
    forced: tuple[str, int] | None


# --- what the planner hands the writer ----------------------------------------------------
#
# Plain tuples only: they cross from worker processes to the writing process,
# and pickling named tuples, datetimes or dataclasses costs more than planning.

#: Event kinds. AUDIT: an audit entry with no outbox entry, as the inspection,
#: survey and handover services write beside their records.
REGISTER, PLAIN, SIGN, AUDIT = 0, 1, 2, 3

#: A signing, finished by the writer once the permit number is taken: (at, user,
#: before JSON, step, version after, base version, audit id, op id, tx id, permit id,
#: year, month, valid-until ordinal or None, permit code, SOP number).
_SignDraft = tuple[
    tuple[Any, str],
    tuple[str, str, str],
    str,
    int,
    int,
    int,
    str,
    str,
    str,
    str,
    int,
    int,
    int | None,
    str,
    int,
]

#: One planned dossier: (walk-in position, events, applicant key, applicant row,
#: business key, business row, dossier id, number, dossier row, checklist rows,
#: visit rows, final status, SOP number, records beside the workflow). Events are
#: (position, kind, event or draft).
_Planned = tuple[
    int,
    list[tuple[int, int, Any]],
    int,
    Row,
    int,
    Row | None,
    str,
    str,
    Row,
    list[Row],
    list[Row],
    str,
    int,
    Records | None,
]


# --- canonical JSON of the usual entries, written out --------------------------------------
#
# ``canonical_json`` (json.dumps with sorted keys) costs microseconds per call, and a
# million dossiers make tens of millions of entries; the shapes below are the
# common ones, spelled in canonical form (keys sorted, no spaces). A test checks
# that every stored entry equals canonical_json(json.loads(entry)).


def _state_text(state: DossierState) -> str:
    return f'{{"status":"{state.status.value}","step":{state.step_no},"version":{state.version}}}'


def _plain_after(state: DossierState, reason: str, target: int | None) -> str:
    return (
        f'{{"reason":{json_string(reason)},"status":"{state.status.value}",'
        f'"step":{state.step_no},"target_step":{"null" if target is None else target},'
        f'"version":{state.version}}}'
    )


def _plain_payload(reason: str, target: int | None) -> str:
    return (
        f'{{"data":{{}},"reason":{json_string(reason)},"received":{{}},'
        f'"target_step":{"null" if target is None else target}}}'
    )


def _sign_after(number: str, step: int, version: int) -> str:
    return (
        f'{{"permit_number":{json_string(number)},"reason":"","status":"issued",'
        f'"step":{step},"target_step":null,"version":{version}}}'
    )


def _sign_payload(number: str) -> str:
    return (
        f'{{"data":{{}},"permit_number":{json_string(number)},"reason":"",'
        f'"received":{{}},"target_step":null}}'
    )


# --- people and businesses ------------------------------------------------------------------


def _luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits + d`` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 0:  # doubled once the check digit is appended
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str(-total % 10)


def _legacy_npwp(r: random.Random) -> str:
    first = f"{r.randrange(10, 100)}{r.randrange(10**6):06d}"
    return f"{first}{_luhn_digit(first)}{r.choice(('704', '705', '706', '707'))}000"


# fmt: off
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "851", "814", "815", "816", "855",
    "856", "857", "858", "877", "878", "859", "831", "832", "838", "895", "896", "897", "898",
    "899", "881", "882", "887",
)
# fmt: on


def _phone(r: random.Random) -> str:
    """A mobile number as the service stores it (E.164: ``+628...``, 10-11 digits after +62)."""
    width = 7 if r.random() < 0.6 else 8
    return f"+62{r.choice(MOBILE_PREFIXES)}{r.randrange(10**width):0{width}d}"


def _ascii(text: str) -> str:
    return "".join(c for c in text.casefold() if "a" <= c <= "z")


def _street(r: random.Random, desa: str, town: bool) -> str:
    if town or r.random() < 0.35:
        pattern = r.choice(LANDAK_STREETS)
        return pattern.format(km=r.randint(1, 45), no=r.randint(1, 180))
    return f"Dusun {desa} RT {r.randint(1, 25):03d}/RW {r.randint(1, 8):03d}"


class _Person(NamedTuple):
    key: int
    applicant_id: str
    name: str
    first: str  # what a workshop is often named after
    row: Row
    nib: str
    kecamatan: int  # index into KECAMATAN (where the business is)
    contact: str  # the person at the counter: the applicant, or a company's representative
    nik: str  # the contact's NIK


def _nik(region: str, born: date, woman: bool, serial: int) -> str:
    """A NIK: region, birth date (day + 40 for women), serial."""
    day = born.day + (40 if woman else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _person(ctx: _Context, r: random.Random, company: bool, k: int) -> _Person:
    """Applicant number ``k`` of its kind: the same person every time it is drawn."""
    key = k * 2 + int(company)
    r.seed((ctx.seed << 34) ^ (key << 1) ^ 1)
    community = r.choices(("dayak", "malay", "chinese", "javanese"), (50, 20, 15, 15))[0]
    woman = r.random() < 0.3
    name, first = _person_name(r, community, woman)
    kec = bisect_right(_KECAMATAN_CUM, r.random() * _KECAMATAN_CUM[-1])
    region, kecamatan_name, _weight, villages = KECAMATAN[kec]
    kabupaten, desa = "Landak", r.choice(villages)
    elsewhere = r.random() < 0.06
    if elsewhere:
        region, kabupaten, kecamatan_name, desa = r.choice(ELSEWHERE)
        street = r.choice(TOWN_STREETS).format(no=r.randint(1, 120))
    else:
        street = _street(r, desa, town=kec == 0 and r.random() < 0.6)
    if community == "javanese" and r.random() < 0.3:
        region = r.choice(JAVA_REGIONS)  # first registered in Java, now living here
    born = date.fromordinal(r.randint(date(1958, 1, 1).toordinal(), date(2004, 12, 31).toordinal()))
    nik = _nik(region, born, woman, r.randint(1, 3999))
    nib = f"{r.choice(('9120', '8120', '1220', '0220'))}{r.randrange(10**9):09d}"
    phone = _phone(r)
    applicant_id = _derived_id(ctx, key << 1)
    if company:
        prefix = r.choices(("CV", "PT", "Koperasi"), (60, 32, 8))[0]
        body = r.choice(COMPANY_WORDS)
        company_name = f"{prefix} {body}"
        if r.random() < 0.5:
            company_name += f" {r.choice(TRANSPORT_SUFFIXES)}"
        email = f"{_ascii(body)}{r.randint(1, 99)}@gmail.com" if r.random() < 0.7 else ""
        row = RowCodec.applicant_row(
            applicant_id,
            kind="company",
            name=company_name,
            nik="",
            nib=nib,
            npwp="0" + _legacy_npwp(r),
            phone=phone,
            email=email,
            street=street,
            desa=desa,
            kecamatan=kecamatan_name,
            kabupaten=kabupaten,
            province="Kalimantan Barat",
            representative=name,
        )
        return _Person(key, applicant_id, company_name, body, row, nib, kec, name, nik)
    has_nib = r.random() < 0.7
    npwp = ""
    if r.random() < 0.4:
        npwp = nik if r.random() < 0.6 else _legacy_npwp(r)
    email = ""
    if r.random() < 0.3:
        parts = [_ascii(p) for p in name.split()]
        email = f"{'.'.join(p for p in parts[:2] if p)}{r.randint(1, 99)}@gmail.com"
    row = RowCodec.applicant_row(
        applicant_id,
        kind="individual",
        name=name,
        nik=nik,
        nib=nib if has_nib else "",
        npwp=npwp,
        phone=phone,
        email=email,
        street=street,
        desa=desa,
        kecamatan=kecamatan_name,
        kabupaten=kabupaten,
        province="Kalimantan Barat",
        representative="",
    )
    return _Person(key, applicant_id, name, first, row, nib if has_nib else "", kec, name, nik)


def _person_name(r: random.Random, community: str, woman: bool) -> tuple[str, str]:
    if community == "dayak":
        given = r.choice(DAYAK_WOMEN if woman else DAYAK_MEN)
        second = r.choice(DAYAK_SECOND)
        return f"{given} {second}", second
    if community == "malay":
        if woman:
            name = r.choice(MALAY_WOMEN)
            if r.random() < 0.05:
                name = f"Utin {name}"
            return name, name.split()[0]
        given = r.choice(MALAY_MEN)
        name = f"{given} {r.choice(MALAY_SECOND)}"
        if r.random() < 0.05:
            name = f"Gusti {name}"
        return name, given.split()[0]
    if community == "chinese":
        surname = r.choice(CHINESE_SURNAMES)
        if r.random() < 0.45:
            a, b = r.sample(CHINESE_SYLLABLES, 2)
            return f"{surname} {a} {b}", surname
        given = r.choice(CHINESE_GIVEN_WOMEN if woman else CHINESE_GIVEN_MEN)
        return f"{given} {surname}", given
    if woman:
        name = r.choice(JAVANESE_WOMEN)
        return name, name.split()[0]
    given = r.choice(JAVANESE_MEN)
    if r.random() < 0.35:
        return given, given
    return f"{given} {r.choice(JAVANESE_SECOND)}", given


def _derived_id(ctx: _Context, key: int) -> str:
    """A key that is the same for every dossier of one applicant (or business) in a run."""
    digest = hashlib.blake2b(
        key.to_bytes(16, "big"), key=ctx.salt.to_bytes(8, "big"), digest_size=10
    ).digest()
    return uuid7_text(ctx.window_ms, int.from_bytes(digest, "big") >> 6)


def _business(
    ctx: _Context, r: random.Random, plan: _SopPlan, person: _Person, company: bool
) -> tuple[int, Row]:
    key = person.key * 1024 + plan.sop.number % 1024
    r.seed((ctx.seed << 34) ^ (key << 1))
    kec = person.kecamatan if r.random() < 0.8 else r.randrange(len(KECAMATAN))
    _code, kecamatan_name, _w, villages = KECAMATAN[kec]
    desa = r.choice(villages)
    kbli, edition = "", ""
    if plan.business == "workshop":
        trade = r.choices(("Motor", "Mobil"), (65, 35))[0]
        kbli, edition = ("45405" if trade == "Motor" else "45201"), "2020"
        if company:
            name = f"Bengkel {trade} {person.first}"
        elif r.random() < 0.4:
            name = f"Bengkel {person.first} {trade}"
        else:
            name = f"Bengkel {trade} {r.choice(WORKSHOP_WORDS)}"
            if r.random() < 0.3:
                name += f" {r.choice(WORKSHOP_WORDS)}"
    elif plan.business == "pool":
        kind = r.choice(("Bus", "Truk", "Travel", "Angkutan"))
        name = f"Pool {kind} {person.first if company else r.choice(COMPANY_WORDS)}"
    else:
        name = f"Usaha {r.choice(COMPANY_WORDS)}"
    street = r.choice(LANDAK_STREETS).format(km=r.randint(1, 45), no=r.randint(1, 180))
    business_id = _derived_id(ctx, (key << 1) | 1)
    row = RowCodec.business_row(
        business_id,
        person.applicant_id,
        name=name,
        kbli=kbli,
        kbli_edition=edition,
        street=street,
        desa=desa,
        kecamatan=kecamatan_name,
        kabupaten="Landak",
        province="Kalimantan Barat",
    )
    return key, row


# --- running one dossier through the engine ----------------------------------------------


@dataclass(slots=True)
class _Fate:
    end: str  # handed_over, issued, rejected, cancelled, returned, stalled
    incomplete: bool = False  # files incomplete at registration: returned at once
    return_at: int = 0  # a later step where the counter returns the files
    send_back: tuple[int, int] | None = None  # (from step, to step), once
    reject_at: int = 0
    cancel_at: int = 0  # 0: while returned
    stall_at: int = 0
    depth: int = 0  # steps walked at registration


def _state_json(state: DossierState) -> dict[str, Any]:
    return {"status": state.status.value, "step": state.step_no, "version": state.version}


class _Cut(Exception):
    """The next action would happen after ``now``: the dossier stays where it is."""


class _Planner:
    """Plans one chunk of dossiers with the chunk's own random stream."""

    def __init__(self, ctx: _Context, chunk: int) -> None:
        self.ctx = ctx
        self.rng = random.Random((ctx.seed << 40) ^ (chunk << 1) ^ (1 << 39))
        self.people = random.Random()
        self.ids = IdMaker(ctx.salt ^ (chunk * 0x2545F4914F6CDD1D))
        self.codec = ctx.codec
        self._moments: dict[int, datetime] = {}
        self.dossier = ("", "")  # id and number of the dossier being planned

    # time

    def moment(self, pos: int) -> datetime:
        found = self._moments.get(pos)
        if found is None:
            found = self.codec.at_second(self.ctx.timeline.epoch(pos))[0]
            self._moments[pos] = found
        return found

    def ms(self, pos: int) -> int:
        return self.ctx.timeline.epoch(pos) * 1000 + self.rng.randrange(1000)

    def duration(self, plan: _SopPlan, step_no: int) -> int:
        standard = plan.standard[step_no]
        factor = min(4.0, self.rng.lognormvariate(-0.8, 0.7))  # median 0.45 of the standard
        return max(60, int(standard * factor))

    def days(self, low: int, high: int) -> int:
        day = self.ctx.timeline.day_len
        return self.rng.randint(low, high) * day + self.rng.randrange(day // 2)

    def calendar_days(self, start: int, end: int) -> int:
        """Calendar days from the day of position ``start`` to the day of ``end``."""
        timeline = self.ctx.timeline
        dates, day_len = timeline.day_dates, timeline.day_len
        return (dates[end // day_len] - dates[start // day_len]).days

    # fate

    def fate(self, plan: _SopPlan, forced: tuple[str, int] | None) -> _Fate:
        r = self.rng
        steps = plan.sop.steps
        full = len(plan.leading)
        depth = full if r.random() < 0.85 else r.randint(0, full)
        fate = _Fate("handed_over", depth=depth)
        if forced is not None:
            return self._forced(plan, fate, forced)
        x = r.random()
        fate.end = (
            "rejected"
            if x < 0.035
            else "cancelled"
            if x < 0.065
            else "returned"
            if x < 0.08
            else "issued"
            if x < 0.10
            else "stalled"
            if x < 0.11
            else "handed_over"
        )
        fate.incomplete = plan.can_return_at_intake and r.random() < 0.12
        if plan.returnable and r.random() < 0.04:
            fate.return_at = r.choice(plan.returnable)
        if plan.send_back and r.random() < 0.07:
            at, targets = r.choice(plan.send_back)
            fate.send_back = (at, r.choice(targets))
        if fate.end == "returned" and not (fate.incomplete or fate.return_at):
            if plan.can_return_at_intake:
                fate.incomplete = True
            elif plan.returnable:
                fate.return_at = r.choice(plan.returnable)
            else:
                fate.end = "handed_over"
        if fate.end == "rejected":
            fate.reject_at = r.choice(plan.deciding)
        elif fate.end == "cancelled":
            if not (fate.incomplete or fate.return_at) or r.random() < 0.3:
                fate.cancel_at = r.choice(steps).no
        elif fate.end == "stalled":
            fate.stall_at = r.choice(steps).no
        self._settle(plan, fate)
        return fate

    def _forced(self, plan: _SopPlan, fate: _Fate, forced: tuple[str, int]) -> _Fate:
        r = self.rng
        kind, step = forced
        fate.end = {
            "sent_back": "handed_over",
            "returned_later": "returned",
            "cancelled_returned": "cancelled",
        }.get(kind, kind)
        if kind == "stalled":
            fate.stall_at = step
        elif kind in ("returned", "cancelled_returned"):  # the latter never brought back
            fate.incomplete = True
        elif kind == "returned_later":
            fate.return_at = step
        elif kind == "rejected":
            fate.reject_at = r.choice(plan.deciding)
        elif kind == "cancelled":
            fate.cancel_at = r.choice(plan.sop.steps).no
        elif kind == "sent_back":
            at, targets = plan.send_back[step]
            fate.send_back = (at, r.choice(targets))
        self._settle(plan, fate)
        return fate

    @staticmethod
    def _settle(plan: _SopPlan, fate: _Fate) -> None:
        """Keep what must happen after registration from being walked past at the counter."""
        for stop in (fate.stall_at, fate.cancel_at):
            for index, step in enumerate(plan.leading):
                if stop == step.no:
                    fate.depth = min(fate.depth, index)
        if fate.incomplete:
            fate.depth = min(
                fate.depth, sum(1 for s in plan.leading if s.kind is StepKind.APPLICANT)
            )

    # step data

    def data_for(
        self,
        step: Step,
        person: _Person,
        pos: int,
        company: bool,
        inspection: tuple[date, str] | None = None,
    ) -> tuple[tuple[str, str], ...]:
        """The step's fields; an inspection step's date and recommendation are its BAP's."""
        r = self.rng
        values: list[tuple[str, str]] = []
        for spec in step.fields:
            if not spec.required and r.random() < (0.3 if spec.key == "sicantik_no" else 0.5):
                continue
            if spec.key == "sicantik_no":
                local = self.ctx.timeline.day_dates[pos // self.ctx.timeline.day_len]
                value = f"{local:%Y%m}{r.randrange(10**6):06d}"
            elif spec.key == "oss_nib":
                if not person.nib:
                    continue
                value = person.nib
            elif spec.key == "sicantik_username":
                value = f"{_ascii(person.name)[:12]}{r.randint(1, 99)}"
            elif spec.type is FieldType.DATE:
                day = self.ctx.timeline.day_dates[pos // self.ctx.timeline.day_len]
                value = (inspection[0] if inspection else day).isoformat()
            elif spec.type is FieldType.NUMBER:
                value = str(r.randint(2, 40))
            elif spec.type is FieldType.CHECK:
                value = "ya"
            elif spec.key == "rekomendasi":
                value = inspection[1] if inspection else r.choice(RECOMMENDATIONS)
            else:
                value = "Sesuai" if company or r.random() < 0.5 else "Lengkap"
            values.append((spec.key, value))
        return tuple(values)

    # one dossier

    def plan(self, item: _Item) -> _Planned:  # noqa: PLR0915 - one dossier's whole story
        ctx, r, codec = self.ctx, self.rng, self.codec
        plan = ctx.plans[item.sop]
        sop = plan.sop
        person = _person(ctx, self.people, item.company, item.person)
        business_key, business_row = _business(ctx, self.people, plan, person, item.company)
        fate = self.fate(plan, item.forced)
        fo_role = Role.FRONT_OFFICE
        fo = ctx.acting(fo_role)
        dossier_id = self.ids.at(self.ms(item.pos))
        self.dossier = (dossier_id, item.number)

        requirements = plan.requirements[item.company]
        mandatory = [q.key for q in requirements if q.mandatory]
        missing: list[str] = []
        if fate.incomplete and mandatory:
            missing = r.sample(mandatory, min(len(mandatory), 1 if r.random() < 0.7 else 2))
        received = {
            q.key
            for q in requirements
            if (q.mandatory and q.key not in missing)
            or (not q.mandatory and ((q.key == "nib" and person.nib) or r.random() < 0.25))
        }
        by_key = {q.key: q for q in requirements}
        got = {q.key: q.key in received for q in requirements}

        # At the counter: the walk-in, the walked steps, registration.
        t = item.pos
        state = start(sop, actor=fo, now=self.moment(t))
        columns: dict[str, str] = {}
        for step in plan.leading[: fate.depth]:
            t += r.randint(45, max(60, min(plan.standard[step.no], 600)))
            skip = step.optional and r.random() < 0.35
            data = () if skip else self.data_for(step, person, t, item.company)
            command = Command(Action.SKIP_STEP if skip else Action.COMPLETE_STEP, data=data)
            state = self._advance(sop, state, command, fo, t)
            columns.update((k, v) for k, v in data if k in COLUMN_FIELDS and v)
        t = min(t + r.randint(30, 240), ctx.timeline.now_pos)  # the arrival margin allows it
        if missing:
            while sop.step(state.step_no).kind is StepKind.APPLICANT:
                state = self._advance(sop, state, Command(Action.COMPLETE_STEP), fo, t)
            reason = _("Berkas belum lengkap: {items}").format(
                items="; ".join(by_key[k].name for k in missing)
            )
            state = self._advance(sop, state, Command(Action.RETURN_FILES, reason=reason), fo, t)
        after = {
            "number": item.number,
            "sop": sop.number,
            "sop_version": sop.version,
            "applicant": person.name,
            "received": sorted(received),
            **_state_json(state),
        }
        business_id = business_row[0]
        payload = {**after, "applicant_id": person.applicant_id, "business_id": business_id}
        events: list[tuple[int, int, Any]] = [
            (
                t,
                REGISTER,
                self._event(
                    t,
                    ctx.users[fo_role],
                    "register",
                    "{}",
                    canonical_json(after),
                    0,
                    canonical_json(payload),
                ),
            )
        ]
        updated = item.pos

        # After registration: each action by the role whose step it is, until the fate
        # is met or the next action would come after ``now``.
        sent_back = False
        returned_later = False
        returned_at = t if missing else 0
        site = Site(business_row[2], business_row[5], business_row[6], business_row[7])
        inspections: list[InspectionPlan] = []
        receiver: ReceiverPlan | None = None
        survey: SurveyPlan | None = None
        now_pos = ctx.timeline.now_pos
        try:
            while True:
                status = state.status
                if status is Status.RETURNED:
                    if fate.end == "returned":
                        break
                    if fate.end == "cancelled" and not fate.cancel_at:
                        t += self.days(8, 25)
                        if t > now_pos:
                            raise _Cut
                        reason = cancel_reason(
                            r,
                            returned_days=self.calendar_days(returned_at, t),
                            days_since_registration=self.calendar_days(item.pos, t),
                            at_counter=True,
                        )
                        state = self._act(
                            events, plan, state, Action.CANCEL, t, fo_role, reason=reason
                        )
                        updated = t
                        break
                    t += self.days(1, 12)
                    back = {
                        k: True
                        for k, have in got.items()
                        if not have and (k in missing or returned_later)
                    }
                    state = self._act(
                        events, plan, state, Action.RESUME, t, fo_role, received=back or None
                    )
                    got.update(back)
                    updated = t
                    continue
                if status is Status.ISSUED:
                    if fate.end == "issued":
                        break
                    t += self.days(0, 8)
                    state = self._act(events, plan, state, Action.HAND_OVER, t, fo_role)
                    updated = t
                    receiver = self._receiver(person, got, t)
                    self._audit_only(
                        events,
                        t,
                        fo_role,
                        "handover_receiver",
                        {"receiver": receiver[0], "id_number": receiver[1]},
                    )
                    survey = self._survey(
                        events, fo_role, item.pos, t, slow=sent_back or returned_at > 0
                    )
                    break
                if status is not Status.IN_PROGRESS:
                    break
                step = sop.step(state.step_no)
                arrived = t
                if fate.stall_at == step.no:
                    if step.kind is StepKind.INSPECTION:
                        self._schedule(events, inspections, site, arrived)
                    break
                role = plan.roles[step.no]
                if fate.cancel_at == step.no:
                    t += self.duration(plan, step.no) // 2 + 60
                    if t > now_pos:
                        raise _Cut
                    canceller = Role.ADMIN if r.random() < 0.2 else fo_role
                    reason = cancel_reason(
                        r,
                        returned_days=None,
                        days_since_registration=self.calendar_days(item.pos, t),
                        at_counter=role is Role.FRONT_OFFICE,
                    )
                    state = self._act(
                        events, plan, state, Action.CANCEL, t, canceller, reason=reason
                    )
                    updated = t
                    break
                t += self.duration(plan, step.no)
                if t > now_pos:
                    if step.kind is StepKind.INSPECTION:
                        self._schedule(events, inspections, site, arrived)
                    raise _Cut
                if fate.return_at == step.no and not returned_later:
                    returned_later = True
                    returned_at = t
                    key = r.choice(mandatory) if mandatory else ""
                    state = self._act(
                        events,
                        plan,
                        state,
                        Action.RETURN_FILES,
                        t,
                        role,
                        reason=return_reason(key, by_key[key].name) if key else RETURN_ANY,
                        received={key: False} if key else None,
                    )
                    if key:
                        got[key] = False
                    updated = t
                    continue
                sending = bool(fate.send_back and fate.send_back[0] == step.no and not sent_back)
                rejecting = not sending and fate.reject_at == step.no
                reason = reject_reason(r, step.kind) if rejecting else ""
                found: tuple[date, str] | None = None
                if step.kind is StepKind.INSPECTION:
                    outcome = (
                        Outcome.FIX if sending else Outcome.REJECT if rejecting else Outcome.PASS
                    )
                    found = self._inspect(events, inspections, site, arrived, t, outcome, reason)
                if sending and fate.send_back:
                    sent_back = True
                    state = self._act(
                        events,
                        plan,
                        state,
                        Action.SEND_BACK,
                        t,
                        role,
                        reason=send_back_reason(
                            r,
                            step.kind,
                            has_floor_plan=plan.has_floor_plan,
                            inspected=any(i[2] is not None for i in inspections),
                        ),
                        target=fate.send_back[1],
                    )
                    updated = t
                    continue
                if rejecting:
                    state = self._act(events, plan, state, Action.REJECT, t, role, reason=reason)
                    updated = t
                    break
                if step.kind is StepKind.SIGNING:
                    state = self._sign(events, plan, state, t, role)
                    updated = t
                    continue
                if step.optional and r.random() < 0.3:
                    state = self._act(events, plan, state, Action.SKIP_STEP, t, role)
                else:
                    data = self.data_for(step, person, t, item.company, found)
                    state = self._act(events, plan, state, Action.COMPLETE_STEP, t, role, data=data)
                    columns.update((k, v) for k, v in data if k in COLUMN_FIELDS and v)
                updated = t
        except _Cut:
            pass
        # Records are planned while the dossier waits, before the action that ends the
        # wait is appended: the writer needs each dossier's events in time order.
        events.sort(key=lambda event: event[0])

        visit_ids = [self.ids.at(int(v.started_at.timestamp() * 1000)) for v in state.visits]
        dossier_row = codec.dossier_row(
            dossier_id,
            number=item.number,
            sop_number=sop.number,
            sop_version=sop.version,
            applicant_id=person.applicant_id,
            business_id=business_id,
            status=state.status.value,
            step_no=state.step_no,
            received_at=self.moment(item.pos),
            station_code=ctx.station,
            sicantik_no=columns.get("sicantik_no", ""),
            oss_nib=columns.get("oss_nib", ""),
            version=state.version,
            created_by=ctx.users[fo_role][0],
            updated_at=self.moment(updated),
        )
        return (
            item.pos,
            events,
            person.key,
            person.row,
            business_key,
            business_row,
            dossier_id,
            item.number,
            dossier_row,
            codec.checklist_rows_of(
                dossier_id, [(q.key, q.name, q.mandatory, got[q.key]) for q in requirements]
            ),
            codec.visit_rows(dossier_id, state.visits, visit_ids),
            state.status.value,
            sop.number,
            Records(receiver, tuple(inspections), survey)
            if receiver or inspections or survey
            else None,
        )

    # records beside the workflow

    def _audit_only(
        self,
        events: list[tuple[int, int, Any]],
        pos: int,
        role: Role,
        action: str,
        after: dict[str, Any],
    ) -> None:
        """An audit entry without an outbox entry, as a record's service writes it.

        Its keys take the record's own second: drawing a millisecond would move the
        planner's random stream, and with it every demo made from the same seed.
        """
        ms = self.ctx.timeline.epoch(pos) * 1000
        user = self.ctx.users[role]
        event = self._event(pos, user, action, "{}", canonical_json(after), 0, "", ms=ms)
        events.append((pos, AUDIT, event))

    def _inspection_audit(
        self, events: list[tuple[int, int, Any]], pos: int, plan: InspectionPlan
    ) -> None:
        """What ``InspectionService`` audits: the row less its dossier, time and recorder."""
        inspection_id, scheduled, inspected, team, findings, advice, _at = plan
        on = None if inspected is None else date.fromordinal(inspected).isoformat()
        self._audit_only(
            events,
            pos,
            Role.TIM_TEKNIS,
            "inspection_scheduled" if inspected is None else "inspection_recorded",
            {
                "id": inspection_id,
                "scheduled_on": date.fromordinal(scheduled).isoformat(),
                "inspected_on": on,
                "team": team,
                "findings": findings,
                "recommendation": advice,
                "photos": "[]",
            },
        )

    def _inspect(
        self,
        events: list[tuple[int, int, Any]],
        inspections: list[InspectionPlan],
        site: Site,
        arrived: int,
        done: int,
        outcome: Outcome,
        reason: str,
    ) -> tuple[date, str]:
        """The BAP of a visit made while the dossier waited at the step (``arrived``-``done``).

        Returns its date and recommendation, which the step's fields repeat.
        """
        r = self.rng
        timeline = self.ctx.timeline
        seen = arrived + int((done - arrived) * 0.8 * r.random())
        recorded = seen + r.randint(0, done - seen)
        again = any(i[2] is not None for i in inspections)
        findings, advice = inspection_report(r, site, outcome, reason, again=again)
        day = timeline.day_dates[seen // timeline.day_len]
        inspection: InspectionPlan = (
            self.ids.at(self.ms(recorded)),
            day.toordinal(),
            day.toordinal(),
            inspection_team(r, INSPECTION_LEAD, site),
            findings,
            advice,
            timeline.epoch(recorded),
        )
        inspections.append(inspection)
        self._inspection_audit(events, recorded, inspection)
        return day, advice

    def _schedule(
        self,
        events: list[tuple[int, int, Any]],
        inspections: list[InspectionPlan],
        site: Site,
        arrived: int,
    ) -> None:
        """Most dossiers waiting for the field visit have a date for it, set on a working day."""
        r = self.rng
        timeline = self.ctx.timeline
        if r.random() >= SCHEDULED_SHARE:
            return
        at = arrived + r.randint(600, timeline.day_len)
        if at > timeline.now_pos:
            return
        on = timeline.day_dates[at // timeline.day_len] + timedelta(days=r.randint(1, 5))
        while on.weekday() >= 5:  # Saturday, Sunday
            on += timedelta(days=1)
        team = inspection_team(r, INSPECTION_LEAD, site)
        at_id = self.ids.at(self.ms(at))
        inspection: InspectionPlan = (at_id, on.toordinal(), None, team, "", "", timeline.epoch(at))
        inspections.append(inspection)
        self._inspection_audit(events, at, inspection)

    def _receiver(self, person: _Person, got: dict[str, bool], handed: int) -> ReceiverPlan:
        """Who takes the permit: the applicant (or representative), or someone with a proxy."""
        r = self.rng
        epoch = self.ctx.timeline.epoch(handed)
        if r.random() >= (0.6 if got.get("surat_kuasa") else 0.08):
            return person.contact, person.nik, epoch
        community = r.choices(("dayak", "malay", "chinese", "javanese"), (50, 20, 15, 15))[0]
        woman = r.random() < 0.35
        name, _first = _person_name(r, community, woman)
        born = date.fromordinal(
            r.randint(date(1965, 1, 1).toordinal(), date(2004, 12, 31).toordinal())
        )
        region = KECAMATAN[person.kecamatan][0]
        return name, _nik(region, born, woman, r.randint(1, 3999)), epoch

    def _survey(
        self,
        events: list[tuple[int, int, Any]],
        role: Role,
        walk_in: int,
        handed: int,
        *,
        slow: bool,
    ) -> SurveyPlan | None:
        """Some applicants answer the survey at the counter, just after the handover."""
        r = self.rng
        timeline = self.ctx.timeline
        if r.random() >= SURVEY_SHARE:
            return None
        at = handed + r.randint(60, 900)
        slow = slow or handed - walk_in > 7 * timeline.day_len
        scores = survey_scores(r, slow=slow)
        suggestion = survey_suggestion(r)
        if at > timeline.now_pos:
            return None
        self._audit_only(events, at, role, "survey", {"scores": list(scores)})
        return timeline.epoch(at), scores, suggestion

    def _advance(
        self, sop: Sop, state: DossierState, command: Command, acting: Acting, pos: int
    ) -> DossierState:
        result = advance(sop, state, command, actor=acting, now=self.moment(pos))
        if isinstance(result, Refusal):
            raise RuntimeError(
                f"demo plan refused by the workflow engine at SOP {sop.number} step "
                f"{state.step_no}: {command.action} ({result.code})"
            )
        return result.after

    def _event(
        self,
        pos: int,
        user: tuple[str, str, str],
        action: str,
        before: str,
        after: str,
        base_version: int,
        payload: str,
        *,
        ms: int | None = None,
    ) -> Any:
        ms = self.ms(pos) if ms is None else ms
        ids = self.ids
        dossier_id, number = self.dossier
        return self.codec.event(
            audit_id=ids.at(ms),
            at=self.codec.instant(self.moment(pos)),
            user=user,
            action=action,
            entity="dossier",
            entity_id=number,
            before=before,
            after=after,
            op_id=ids.at(ms),
            tx_id=ids.at(ms),
            outbox_entity_id=dossier_id,
            base_version=base_version,
            payload=payload,
        )

    def _act(
        self,
        events: list[tuple[int, int, Any]],
        plan: _SopPlan,
        state: DossierState,
        action: Action,
        pos: int,
        role: Role,
        *,
        reason: str = "",
        target: int | None = None,
        data: tuple[tuple[str, str], ...] = (),
        received: dict[str, bool] | None = None,
    ) -> DossierState:
        """One action as ``DossierService.act`` records it (audit ``after``, outbox payload)."""
        if pos > self.ctx.timeline.now_pos:
            raise _Cut
        command = Command(action, target_step=target, reason=reason, data=data)
        after_state = self._advance(plan.sop, state, command, self.ctx.acting(role), pos)
        if data or received:
            details: dict[str, Any] = {"reason": reason.strip(), "target_step": target}
            values = dict(data)
            details.update((key, values[key]) for key in COLUMN_FIELDS if values.get(key))
            audited = dict(details)
            if values:
                audited["data"] = values
            if received:
                audited["received"] = dict(received)
            after = canonical_json({**_state_json(after_state), **audited})
            payload = canonical_json({**details, "data": values, "received": dict(received or {})})
        else:
            after = _plain_after(after_state, reason.strip(), target)
            payload = _plain_payload(reason.strip(), target)
        event = self._event(
            pos,
            self.ctx.users[role],
            action.value,
            _state_text(state),
            after,
            state.version,
            payload,
        )
        events.append((pos, PLAIN, event))
        return after_state

    def _sign(
        self,
        events: list[tuple[int, int, Any]],
        plan: _SopPlan,
        state: DossierState,
        pos: int,
        role: Role,
    ) -> DossierState:
        if pos > self.ctx.timeline.now_pos:
            raise _Cut
        sop = plan.sop
        after_state = self._advance(sop, state, Command(Action.SIGN), self.ctx.acting(role), pos)
        timeline = self.ctx.timeline
        day = pos // timeline.day_len
        years = sop.permit.validity.years
        valid_until = add_years(timeline.day_dates[day], years).toordinal() if years else None
        ms = self.ms(pos)
        ids = self.ids
        draft: _SignDraft = (
            self.codec.instant(self.moment(pos)),
            self.ctx.users[role],
            _state_text(state),
            after_state.step_no,
            after_state.version,
            state.version,
            ids.at(ms),
            ids.at(ms),
            ids.at(ms),
            ids.at(ms),
            timeline.day_years[day],
            timeline.day_months[day],
            valid_until,
            sop.permit.code,
            sop.number,
        )
        events.append((pos, SIGN, draft))
        return after_state


def _plan_chunk(ctx: _Context, chunk: int, items: Sequence[_Item]) -> list[_Planned]:
    planner = _Planner(ctx, chunk)
    return [planner.plan(item) for item in items]


_WORKER: _Context | None = None


def _worker_init(ctx: _Context) -> None:
    global _WORKER
    _WORKER = ctx
    gc.disable()  # plans hold no reference cycles; collecting them only costs time


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of tuples are made.

    Nothing made here forms a reference cycle, but every allocation counts
    towards a collection, and each full collection walks every pending plan:
    paused, unpickling a worker's plans is six times faster. Other threads'
    cyclic garbage waits until the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _worker_plan(job: tuple[int, Sequence[_Item]]) -> list[_Planned]:
    assert _WORKER is not None
    return _plan_chunk(_WORKER, job[0], job[1])


# --- writing, in time order ------------------------------------------------------------------


@dataclass(slots=True)
class _Emitter:
    """Merges all dossiers' actions by time and hands them to the writer in that order.

    A dossier's own actions are already in order; the heap holds each pending
    dossier's next action. Planned dossiers arrive in order of walk-in, and no
    action precedes its dossier's walk-in, so an action may be written as soon
    as no dossier still to come walked in before it.
    """

    ctx: _Context
    permit_pattern: NumberPattern
    writer: BulkWriter | None = None
    heap: list[tuple[int, int, int, _Planned]] = field(default_factory=list)
    tie: int = 0
    applicants: set[int] = field(default_factory=set)
    businesses: set[int] = field(default_factory=set)
    permits: dict[str, tuple[str, Row]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    sops: Counter[int] = field(default_factory=Counter)
    #: Records of the dossiers written since the last call of :meth:`take_records`.
    records: list[tuple[str, int, Records]] = field(default_factory=list)

    def add(self, planned: _Planned) -> None:
        heap = self.heap
        walk_in = planned[0]
        while heap and heap[0][0] < walk_in:
            self._emit(heapq.heappop(heap))
        self.tie += 1
        heapq.heappush(heap, (planned[1][0][0], self.tie, 0, planned))

    def drain(self) -> None:
        while self.heap:
            self._emit(heapq.heappop(self.heap))

    def _emit(self, entry: tuple[int, int, int, _Planned]) -> None:
        _pos, _tie, index, planned = entry
        writer = self.writer
        assert writer is not None
        events = planned[1]
        _p, kind, event = events[index]
        if kind == PLAIN:
            writer.add_event(event)
        elif kind == AUDIT:
            writer.add_audit(event)
        elif kind == REGISTER:
            if planned[2] not in self.applicants:
                self.applicants.add(planned[2])
                writer.add_applicant(planned[3], event[4])
            business_row = planned[5]
            if business_row is not None and planned[4] not in self.businesses:
                self.businesses.add(planned[4])
                writer.add_business(business_row)
            writer.add_event(event)
        else:
            self._sign(writer, planned, event)
        index += 1
        if index < len(events):
            self.tie += 1
            heapq.heappush(self.heap, (events[index][0], self.tie, index, planned))
            return
        dossier_id = planned[6]
        permit = self.permits.pop(dossier_id, None)
        writer.add_dossier(planned[8], permit[0] if permit else None, planned[9], planned[10])
        if permit:
            writer.add_permit(permit[1])
        self.statuses[planned[11]] += 1
        self.sops[planned[12]] += 1
        if planned[13] is not None:
            self.records.append((dossier_id, planned[12], planned[13]))

    def take_records(self) -> list[tuple[str, int, Records]]:
        taken, self.records = self.records, []
        return taken

    def _sign(self, writer: BulkWriter, planned: _Planned, draft: _SignDraft) -> None:
        (
            at,
            user,
            before,
            step,
            version,
            base_version,
            audit_id,
            op_id,
            tx_id,
            permit_id,
            year,
            month,
            valid_until,
            code,
            sop_number,
        ) = draft
        seq = writer.take(permit_counter_name(year))
        number = self.permit_pattern.render(
            seq=seq,
            code=code,
            year=year,
            month=month,
            roman_month=roman_month(month),
            sop=sop_number,
        )
        writer.add_event(
            writer.codec.event(
                audit_id=audit_id,
                at=at,
                user=user,
                action=Action.SIGN.value,
                entity="dossier",
                entity_id=planned[7],
                before=before,
                after=_sign_after(number, step, version),
                op_id=op_id,
                tx_id=tx_id,
                outbox_entity_id=planned[6],
                base_version=base_version,
                payload=_sign_payload(number),
            )
        )
        row = writer.codec.permit_row(
            permit_id,
            planned[6],
            number=number,
            issued_at=datetime.fromisoformat(at[1]),
            valid_until=None if valid_until is None else date.fromordinal(valid_until),
            signed_by=user[0],
        )
        self.permits[planned[6]] = (number, row)


# --- the service --------------------------------------------------------------------------


def _ensure_office(loket: Loket) -> None:
    """A demo folder opens at the login and prints its permits, as the README walks it.

    Without an office identity the desktop would ask the first-run questions, and
    without a signing key no permit could be printed. Both are made only when
    missing, by the demo admin: Landak's identity, signed by the demo Kepala Dinas.
    """
    admin = loket.users.by_username(_DEMO_ADMIN)
    if admin is None:  # made by _ensure_users just before
        raise RuntimeError("the demo admin account is missing")
    with loket.storage.writing() as store:
        store.put_setting(DEMO_MARK, True)
    if not loket.office.is_configured():
        head_name, head_nip = next(
            (full, nip) for _u, role, full, nip in DEMO_USERS if role is Role.KEPALA_DINAS
        )
        office = Office(head_name=head_name, head_nip=head_nip, head_rank=DEMO_HEAD_RANK)
        loket.office.save(admin, office)
    loket.documents.init_key(admin)  # keeps a key that is already there


def _ensure_users(
    loket: Loket, now: datetime
) -> tuple[dict[Role, tuple[str, str, str]], list[str]]:
    """The demo accounts, made the first time (one password hash for all of them)."""
    found: dict[Role, tuple[str, str, str]] = {}
    created: list[str] = []
    password_hash: str | None = None
    with loket.storage.writing() as store:
        for username, role, full_name, nip in DEMO_USERS:
            record = store.user_by_name(username)
            if record is not None:
                if record.role != role.value:
                    raise InvalidInput(
                        _("Pengguna {username} sudah ada dengan peran lain ({role}).").format(
                            username=username, role=record.role
                        )
                    )
                found[role] = (record.id, record.username, record.role)
                continue
            if password_hash is None:
                password_hash = PasswordHasher().hash(DEMO_PASSWORD)
            user_id = IdMaker().at_time(now)
            write_new_user(
                store,
                UserRecord(user_id, username, full_name, role.value, nip, password_hash, True),
                actor=SYSTEM,
                now=now,
            )
            found[role] = (user_id, username, role.value)
            created.append(username)
    return found, created


def _ensure_snapshots(loket: Loket, sops: Sequence[Sop], now: datetime) -> None:
    """Store each SOP version as filed, as the first registration under it does."""
    with loket.storage.writing() as store:
        for sop in sops:
            store_sop_snapshot(store, loket.catalog, sop, now)


def _coverage(plans: Sequence[_SopPlan]) -> list[tuple[int, tuple[str, int]]]:
    """One dossier for each state every SOP can reach: what a demo must show."""
    wanted: list[tuple[int, tuple[str, int]]] = []
    for index, plan in enumerate(plans):
        wanted += [(index, ("stalled", step.no)) for step in plan.sop.steps]
        if plan.can_return_at_intake:
            wanted += [(index, ("returned", 0)), (index, ("cancelled_returned", 0))]
        if plan.returnable:
            wanted.append((index, ("returned_later", plan.returnable[-1])))
        wanted += [(index, (end, 0)) for end in ("rejected", "cancelled", "issued", "handed_over")]
        if plan.send_back:
            wanted.append((index, ("sent_back", 0)))
    return wanted


def _arrivals(rng: random.Random, timeline: _Timeline, count: int) -> list[int]:
    """When applicants walk in: working days, office hours, busier Mondays, a slow rise."""
    day_len = timeline.day_len
    margin = 2 * 3600  # so that registration itself always happens before now
    last_day, into = divmod(timeline.now_pos, day_len)
    days = last_day + 1 if into > margin + 1800 else last_day
    if days <= 0:
        raise InvalidInput(_("Tidak ada hari kerja dalam rentang data demo."))
    weights: list[float] = []
    total = 0.0
    for d in range(days):
        weekday = timeline.day_dates[d].weekday()
        weight = (1.25 if weekday == 0 else 0.8 if weekday == 4 else 1.0) * (0.8 + 0.4 * d / days)
        total += weight
        weights.append(total)
    chosen = rng.choices(range(days), cum_weights=weights, k=count)
    latest = min(day_len - 1800, int(day_len * 0.9))
    positions = []
    for d in chosen:
        limit = latest if d < last_day else min(latest, into - margin)
        second = int(rng.triangular(0, latest, day_len * 0.15))
        if second > limit:
            second = rng.randint(0, max(0, limit))
        positions.append(d * day_len + second)
    positions.sort()
    return positions


def _items(
    loket: Loket,
    ctx: _Context,
    rng: random.Random,
    count: int,
    dossier_pattern_: NumberPattern,
) -> list[_Item]:
    timeline = ctx.timeline
    plans = ctx.plans
    positions = _arrivals(rng, timeline, count)
    forced: dict[int, tuple[int, tuple[str, int]]] = {}
    wanted = _coverage(plans)
    old_enough = bisect_right(
        positions,
        (timeline.now_pos // timeline.day_len - COVERAGE_MIN_AGE_DAYS * 5 // 7) * timeline.day_len,
    )
    if old_enough:
        spread = rng.sample(range(old_enough), min(len(wanted), old_enough))
        forced = dict(zip(sorted(spread), wanted, strict=False))
    people_individual = 3 * count + 50
    people_company = 2 * count + 50
    drafts: list[tuple[int, int, bool, int, tuple[str, int] | None, str]] = []
    needed: Counter[str] = Counter()
    for index, pos in enumerate(positions):
        coverage = forced.get(index)
        sop_index = coverage[0] if coverage else rng.randrange(len(plans))
        plan = plans[sop_index]
        company = rng.random() < plan.company_share
        person = rng.randrange(people_company if company else people_individual)
        name = dossier_counter_name(
            plan.sop.key, timeline.day_years[pos // timeline.day_len], ctx.station
        )
        needed[name] += 1
        drafts.append((pos, sop_index, company, person, coverage[1] if coverage else None, name))
    starts = reserve_counters(loket.storage, needed)
    next_seq = dict(starts)
    items: list[_Item] = []
    for pos, sop_index, company, person, coverage_fate, name in drafts:
        next_seq[name] += 1
        day = pos // timeline.day_len
        number = dossier_pattern_.render(
            sop=plans[sop_index].sop.key,
            year=timeline.day_years[day],
            station=ctx.station,
            seq=next_seq[name],
            month=timeline.day_months[day],
        )
        items.append(_Item(pos, sop_index, company, person, number, coverage_fate))
    return items


def _planned_chunks(
    ctx: _Context, items: Sequence[_Item], workers: int
) -> Iterator[list[_Planned]]:
    jobs = ((start // CHUNK, items[start : start + CHUNK]) for start in range(0, len(items), CHUNK))
    if workers <= 0:
        for chunk, part in jobs:
            yield _plan_chunk(ctx, chunk, part)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(
        workers, initializer=_worker_init, initargs=(ctx,)
    ) as pool:
        window: deque[Any] = deque()
        for job in jobs:
            window.append(pool.apply_async(_worker_plan, (job,)))
            if len(window) >= 8 * workers + 8:  # room to plan on while a commit runs
                yield window.popleft().get()
        while window:
            yield window.popleft().get()


def _write(
    loket: Loket,
    ctx: _Context,
    items: Sequence[_Item],
    workers: int,
    emitter: _Emitter,
    progress: Callable[[int], None] | None,
) -> Counter[str]:
    """Plan and write every dossier, a transaction per DOSSIERS_PER_TRANSACTION."""
    rows: Counter[str] = Counter()
    chunks = _planned_chunks(ctx, items, workers)
    cache_mib = min(1024, 64 + len(items) // 1000)
    done = 0
    finished = False
    while not finished:
        with bulk_writing(loket.storage, cache_mib=cache_mib) as writer:
            emitter.writer = writer
            in_transaction = 0
            for planned in chunks:
                for one in planned:
                    emitter.add(one)
                done += len(planned)
                in_transaction += len(planned)
                if progress is not None:
                    progress(done)
                if in_transaction >= DOSSIERS_PER_TRANSACTION:
                    break
            else:
                emitter.drain()
                finished = True
        rows.update(writer.written)
        # The records beside the workflow refer to dossiers: once those are committed.
        rows.update(
            write_records(
                loket.storage,
                emitter.take_records(),
                clerk_id=ctx.users[Role.FRONT_OFFICE][0],
                inspector_id=ctx.users[Role.TIM_TEKNIS][0],
            )
        )
    emitter.writer = None
    return rows


def _default_workers(count: int) -> int:
    """Planning processes worth starting: one per core nobody else is using.

    A worker plans while this process writes; on a machine whose other core is
    busy, shipping plans between processes costs more than it saves.
    """
    cores = os.cpu_count() or 1
    if count < PARALLEL_FROM or cores < 2:
        return 0
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows)
        busy = 0.0
    spare = cores - 1 - busy  # cores beside this (writing) process that nobody uses
    return max(0, min(3, math.ceil(spare - 0.25)))


def _refuse_office_database(loket: Loket) -> None:
    with loket.storage.reading() as store:
        if store.setting(DEMO_MARK):  # made by an earlier demo, identity and all
            return
    demo_names = {name for name, _role, _full, _nip in DEMO_USERS} | {SYSTEM.username}
    own = [u.username for u in loket.users.users(SYSTEM) if u.username not in demo_names]
    if loket.office.is_configured() or own:
        raise InvalidInput(
            _(
                "Basis data ini milik kantor (identitas kantor atau pengguna sudah diisi); "
                "data demo tidak ditulis ke sini. Pakai folder data lain (--data-dir), "
                "atau --force bila memang disengaja."
            )
        )


def generate_demo(
    loket: Loket,
    count: int,
    *,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
    force: bool = False,
) -> DemoReport:
    """Add ``count`` demo dossiers (and the demo accounts, if missing) to ``loket``'s database.

    ``workers`` worker processes plan dossiers while this one writes; by default
    none below 20,000 dossiers, and above that one per core not otherwise busy.
    The result does not depend on ``workers``.

    An office's own database is refused unless ``force``: demo accounts with a
    published password, back-dated dossiers and used-up number series do not
    belong beside real ones.
    """
    if not force:
        _refuse_office_database(loket)
    started = time.perf_counter()
    now = now or loket.clock()
    if now.tzinfo is None:
        raise InvalidInput(_("Waktu harus disertai zona waktu (WIB)."))
    if count < 0:
        raise InvalidInput(_("Jumlah berkas demo tidak boleh negatif."))
    if workers is None:
        workers = _default_workers(count)
    users, created = _ensure_users(loket, now)
    _ensure_office(loket)
    sops = loket.catalog.latest()
    if not sops:
        raise InvalidInput(_("Katalog SOP kosong: tidak ada yang dapat dibuat."))
    _ensure_snapshots(loket, sops, now)
    with loket.storage.reading() as store:
        identity = store.identity()
        station = identity.station_code if identity else "FO1"
        dossier_text = store.setting("dossier_number_pattern") or DEFAULT_DOSSIER_PATTERN
        permit_text = store.setting("permit_number_pattern") or DEFAULT_PERMIT_PATTERN
    timeline = _Timeline.build(loket.calendar, now, HISTORY_DAYS)
    ctx = _Context(
        seed=seed,
        salt=int.from_bytes(os.urandom(8), "big"),
        plans=tuple(_SopPlan.of(sop, loket.calendar) for sop in sops),
        timeline=timeline,
        users=users,
        actings={role: Acting(user[0], role) for role, user in users.items()},
        codec=codec_for(loket.storage),
        station=station,
        window_ms=timeline.day_epochs[0] * 1000,
    )
    rng = random.Random(seed)
    items = _items(loket, ctx, rng, count, dossier_pattern(dossier_text)) if count else []
    emitter = _Emitter(ctx, permit_pattern(permit_text))
    with _collector_paused():
        rows = _write(loket, ctx, items, workers, emitter, progress)
    return DemoReport(
        count=sum(emitter.statuses.values()),
        by_status=dict(emitter.statuses),
        by_sop=dict(emitter.sops),
        rows=dict(rows),
        users_created=tuple(created),
        seconds=time.perf_counter() - started,
        workers=workers,
    )
