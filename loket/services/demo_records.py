"""What demo dossiers carry beside the workflow: BAPs, survey answers, permit receivers.

The planner (:mod:`loket.services.demo`) decides *when*: an inspection report
is made while the dossier waits at its inspection step, the receiver at the
handover, a survey answer just after it. This module decides *what*: the Tim
Teknis's findings and recommendation in the office's words (consistent with
what the step then does: pass, send back, reject), the team, and the nine
scores of the satisfaction survey with a plausible spread.

Plans cross from worker processes as plain tuples (see :data:`InspectionPlan`,
:data:`SurveyPlan`, :data:`ReceiverPlan`); :func:`write_records` stores them
through the same :class:`~loket.storage.store.Store` methods the inspection,
survey and handover services use. The audit entries those services write
beside each record are planned with the dossier's actions and written by the
bulk writer in time order (``loket.services.demo``'s AUDIT events).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import NamedTuple

from loket.services.demo_reasons import REJECT_NOT_AS_DRAWN, REJECT_ROAD
from loket.storage.store import Storage

# fmt: off
#: Tim Teknis members from the other offices (Dinas Perhubungan and Lingkungan Hidup).
TRANSPORT_OFFICERS = ("Hamdan Fauzi, S.T.", "Yosef Ancong, A.Md.LLAJ", "Rusli Effendi")
ENVIRONMENT_OFFICERS = ("Sri Rahayu, S.Si.", "Kornelius Amon, S.Hut.")
#: Kecamatan staff who join a visit in their kecamatan.
KECAMATAN_STAFF = (
    "Markus Atan", "Nurhayati", "Paulus Ludan", "Syarif Hidayat", "Veronika Asen",
    "Tan Ket Fa", "Suparman", "Yuliana Ajun",
)
SURFACES = ("beton", "aspal", "perkerasan batu", "tanah yang dipadatkan")
VEHICLES = {"Bus": "bus", "Truk": "truk", "Travel": "minibus", "Angkutan": "kendaraan angkutan"}
ACCESS = (
    "Jalan masuk lebar ± {width} m; kendaraan dapat keluar-masuk tanpa memakai badan jalan.",
    "Akses keluar-masuk langsung ke jalan kabupaten dan tidak mengganggu arus lalu lintas.",
    "Tersedia ruang putar kendaraan di dalam area pool.",
)
#: What the team noted on a site that passes, and the recommendation it leads to.
CONDITIONS = (
    ("Saluran drainase berfungsi baik dan tersedia tempat sampah.", "Layak diterbitkan."),
    ("Area parkir tertata; tersedia pos jaga.", "Layak; area parkir memadai."),
    ("Belum terpasang rambu keluar-masuk kendaraan.",
     "Layak diterbitkan dengan catatan: pasang rambu keluar-masuk kendaraan."),
    ("Saluran drainase di sisi area parkir tersumbat sebagian.",
     "Layak diterbitkan dengan catatan: saluran air perlu dirawat."),
    ("Belum tersedia wadah penampungan oli bekas.",
     "Layak diterbitkan dengan catatan: sediakan wadah oli bekas."),
)
CONDITION_WEIGHTS = (4, 3, 1, 1, 1)  # most sites pass without a note
SUGGESTIONS = (
    "Pelayanan sudah cepat, pertahankan.",
    "Petugas ramah dan membantu.",
    "Ruang tunggu agar ditambah kursi.",
    "Mohon daftar persyaratan dipasang di papan pengumuman.",
    "Tempat parkir kantor sempit.",
    "Mohon ada pemberitahuan lewat WhatsApp bila izin sudah selesai.",
    "Waktu pemeriksaan lapangan agar diberitahukan lebih awal.",
)
# fmt: on

#: How each of the nine survey elements leans (U1-U9): the permit is free (U4),
#: complaints handling (U8) and the waiting room (U9) are where applicants grumble.
ELEMENT_LEAN = (0.0, -0.02, -0.04, 0.3, 0.02, 0.03, 0.06, -0.08, -0.05)


class Outcome(StrEnum):
    """What the Tim Teknis's step does after the visit."""

    PASS = "pass"
    FIX = "fix"  # sent back: the floor plan does not match the site
    REJECT = "reject"


#: (inspection id, scheduled on (ordinal), inspected on (ordinal) or None when only
#: scheduled, team JSON, findings, recommendation, recorded at (Unix seconds)).
InspectionPlan = tuple[str, int, int | None, str, str, str, int]
#: (answered at (Unix seconds), the nine scores, suggestion).
SurveyPlan = tuple[int, tuple[int, ...], str]
#: (receiver's name, identity number, handed at (Unix seconds)).
ReceiverPlan = tuple[str, str, int]


class Site(NamedTuple):
    """Where the business is, as its row says."""

    name: str
    street: str
    desa: str
    kecamatan: str


# --- the field inspection ------------------------------------------------------------------


def inspection_team(r: random.Random, lead: str, site: Site) -> str:
    """The team as the inspection service stores it (a JSON list); the lead is demo staff."""
    team = [lead, f"{r.choice(TRANSPORT_OFFICERS)} (Dinas Perhubungan)"]
    if r.random() < 0.5:
        staff = KECAMATAN_STAFF[sum(map(ord, site.kecamatan)) % len(KECAMATAN_STAFF)]
        team.append(f"{staff} (Kecamatan {site.kecamatan})")
    if r.random() < 0.3:
        team.append(f"{r.choice(ENVIRONMENT_OFFICERS)} (Dinas Lingkungan Hidup)")
    return json.dumps(team, ensure_ascii=False)


def inspection_report(
    r: random.Random, site: Site, outcome: Outcome, reason: str, *, again: bool
) -> tuple[str, str]:
    """Findings (numbered lines) and recommendation of one visit to ``site``.

    ``reason`` is what the step then writes when it rejects: the findings show
    it. ``again``: a visit after the dossier came back from a correction.
    """
    kind = site.name.split()[1] if site.name.startswith("Pool ") else ""
    vehicle = VEHICLES.get(kind, "kendaraan")
    capacity = r.randint(4, 30)
    area = capacity * r.choice((30, 35, 40, 50))
    lines = [
        f"Lokasi usaha di {site.street}, Desa {site.desa}, Kecamatan {site.kecamatan} "
        "sesuai dengan alamat pada permohonan."
    ]
    if again:
        lines.insert(0, "Pemeriksaan ulang setelah berkas diperbaiki.")
    if outcome is Outcome.REJECT:
        return _rejected(r, lines, reason, vehicle, area)
    surface = r.choice(SURFACES)
    if outcome is Outcome.FIX:
        drawn = capacity + r.randint(4, 15)
        lines += [
            f"Luas area parkir ± {area} m² dengan permukaan {surface}.",
            f"Daya tampung di lapangan ± {capacity} {vehicle}, lebih kecil dari denah "
            f"yang diajukan ({drawn} {vehicle}).",
        ]
        return _numbered(lines), (
            "Perlu perbaikan: denah dan daya tampung disesuaikan dengan kondisi lapangan."
        )
    condition, recommendation = r.choices(CONDITIONS, CONDITION_WEIGHTS)[0]
    lines += [
        f"Luas area parkir ± {area} m² dengan permukaan {surface}; "
        f"daya tampung ± {capacity} {vehicle}.",
        r.choice(ACCESS).format(width=r.choice((6, 8, 10, 12))),
        condition,
    ]
    return _numbered(lines), recommendation


def _rejected(
    r: random.Random, lines: list[str], reason: str, vehicle: str, area: int
) -> tuple[str, str]:
    if reason == REJECT_ROAD:
        small = max(40, area // 4)
        lines.append(f"Area pool hanya ± {small} m²; {vehicle} diparkir di bahu dan badan jalan.")
        return _numbered(lines), "Tidak layak diterbitkan: kegiatan usaha memakai badan jalan."
    if reason == REJECT_NOT_AS_DRAWN:
        lines.append(
            "Di lokasi tidak terdapat area parkir seperti pada denah; lahan masih berupa "
            + r.choice(("semak belukar.", "kebun karet.", "bangunan rumah tinggal."))
        )
        return _numbered(lines), "Tidak layak diterbitkan: lokasi tidak sesuai denah."
    lines.append(
        "Lokasi berada di kawasan permukiman padat dan "
        + r.choice(("berbatasan dengan sekolah.", "berada di tepi jalan lingkungan yang sempit."))
    )
    return _numbered(lines), "Tidak layak diterbitkan: lokasi tidak sesuai peruntukan tata ruang."


def _numbered(lines: Sequence[str]) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


# --- the satisfaction survey -------------------------------------------------------------------


def survey_scores(r: random.Random, *, slow: bool) -> tuple[int, ...]:
    """The nine scores (1-4) of one applicant; one who waited long rates the time lower.

    Most answer 3 or 4, some 2, a few 1: an office index in the B band (~80-85),
    as such offices report.
    """
    mood = r.gauss(0.0, 0.12)
    scores = []
    for element, lean in enumerate(ELEMENT_LEAN):
        shift = lean + mood - (0.25 if slow and element == 2 else 0.0)
        x = r.random()
        # 1 stays rare whatever the mood; the lean moves the 2/3 and 3/4 borders.
        scores.append(
            1 if x < 0.015 else 2 if x < max(0.015, 0.1 - shift) else 3 if x < 0.6 - shift else 4
        )
    return tuple(scores)


def survey_suggestion(r: random.Random) -> str:
    return r.choice(SUGGESTIONS) if r.random() < 0.2 else ""


# --- storing them --------------------------------------------------------------------------------


class Records(NamedTuple):
    """One dossier's records beside the workflow, as planned."""

    receiver: ReceiverPlan | None
    inspections: tuple[InspectionPlan, ...]
    survey: SurveyPlan | None


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def write_records(
    storage: Storage,
    dossiers: Sequence[tuple[str, int, Records]],
    *,
    clerk_id: str,
    inspector_id: str,
) -> dict[str, int]:
    """Store the records of ``dossiers`` (id, SOP number, records), all in one transaction.

    The dossiers must be stored already. Rows are those the handover, inspection
    and survey services store; the counter clerk hands over, the inspector records.
    """
    counts = {"handovers": 0, "inspections": 0, "survey_responses": 0}
    if not dossiers:
        return counts
    with storage.writing() as store:
        for dossier_id, sop_number, records in dossiers:
            for (
                inspection_id,
                scheduled,
                inspected,
                team,
                findings,
                advice,
                at,
            ) in records.inspections:
                store.put_inspection(
                    {
                        "id": inspection_id,
                        "dossier_id": dossier_id,
                        "scheduled_on": date.fromordinal(scheduled),
                        "inspected_on": None if inspected is None else date.fromordinal(inspected),
                        "team": team,
                        "findings": findings,
                        "recommendation": advice,
                        "photos": "[]",
                        "recorded_by": inspector_id,
                        "updated_at": _utc(at),
                    }
                )
                counts["inspections"] += 1
            if records.receiver is not None:
                name, id_number, handed = records.receiver
                store.add_handover(
                    {
                        "dossier_id": dossier_id,
                        "receiver_name": name,
                        "receiver_id_number": id_number,
                        "handed_at": _utc(handed),
                        "user_id": clerk_id,
                    }
                )
                counts["handovers"] += 1
            if records.survey is not None:
                answered, scores, suggestion = records.survey
                store.add_survey(
                    {
                        "dossier_id": dossier_id,
                        "sop_number": sop_number,
                        "answered_at": _utc(answered),
                        "suggestion": suggestion,
                        **{f"u{i}": s for i, s in enumerate(scores, start=1)},
                    }
                )
                counts["survey_responses"] += 1
    return counts
