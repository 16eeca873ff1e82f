"""The reasons demo dossiers carry, each only where it fits the dossier's state and timing.

A reason is what a reader of the demo checks first: "did not complete the files
within 14 days" on a dossier cancelled the hour it was received, or "the field
inspection found..." on a permit that has no field inspection, makes the data
unbelievable. Each function here picks from the reasons that fit what the
planner knows at that moment (how long the files have been out, how old the
dossier is, which kind of step decides).

The texts are the office's own words, stored as data (like the applicants'
names), not translated messages.
"""

from __future__ import annotations

import random

from loket.domain.sop import StepKind

# --- cancellation ------------------------------------------------------------------------

CANCEL_WITHDRAWN = "Pemohon mengundurkan diri."
CANCEL_PLANS_CHANGED = "Pemohon menunda rencana usahanya."
#: Only for files returned to the applicant and not brought back for NOT_COMPLETED_DAYS.
CANCEL_NOT_COMPLETED = "Pemohon tidak melengkapi berkas dalam 14 hari."
#: Only within DUPLICATE_DAYS of registration: a duplicate is noticed early.
CANCEL_DUPLICATE = "Permohonan ganda; diganti berkas baru."
#: Only on the day of registration, at a counter step: the clerk picked the wrong permit.
CANCEL_WRONG_PERMIT = "Salah memilih jenis izin; didaftarkan ulang pada hari yang sama."

NOT_COMPLETED_DAYS = 14
DUPLICATE_DAYS = 7


def cancel_reason(
    r: random.Random,
    *,
    returned_days: int | None,
    days_since_registration: int,
    at_counter: bool,
) -> str:
    """A reason for cancelling now.

    ``returned_days``: calendar days since the files were returned, when the
    dossier is cancelled while returned (None while in progress);
    ``days_since_registration``: calendar days since it was received;
    ``at_counter``: it waits at a Front Office step.
    """
    if returned_days is not None:
        if returned_days >= NOT_COMPLETED_DAYS and r.random() < 0.85:
            return CANCEL_NOT_COMPLETED
        return CANCEL_WITHDRAWN
    fitting = [CANCEL_WITHDRAWN, CANCEL_PLANS_CHANGED]
    if days_since_registration <= DUPLICATE_DAYS:
        fitting.append(CANCEL_DUPLICATE)
    if days_since_registration == 0 and at_counter:
        fitting += [CANCEL_WRONG_PERMIT, CANCEL_DUPLICATE]
    return r.choice(fitting)


# --- rejection ---------------------------------------------------------------------------

FIELD = "Hasil pemeriksaan lapangan: "  # how every reason drawn from an inspection starts
REJECT_ROAD = FIELD + "kegiatan usaha memakai badan jalan."
REJECT_NOT_AS_DRAWN = FIELD + "lokasi tidak sesuai denah yang diajukan."
REJECT_ZONING = "Lokasi usaha tidak sesuai peruntukan tata ruang."
REJECT_TECHNICAL = "Pemohon tidak memenuhi persyaratan teknis."
REJECT_TAKEN = "Usaha yang sama telah memiliki izin atas nama pihak lain."

_REJECT_BY_KIND: dict[StepKind, tuple[str, ...]] = {
    StepKind.INSPECTION: (REJECT_ROAD, REJECT_NOT_AS_DRAWN, REJECT_ZONING),
    StepKind.REVIEW: (REJECT_ZONING, REJECT_TECHNICAL, REJECT_TAKEN),
    StepKind.SIGNING: (REJECT_ZONING, REJECT_TAKEN),
}


def reject_reason(r: random.Random, kind: StepKind) -> str:
    """Why the step of ``kind`` refuses the permit; field findings only at the inspection."""
    return r.choice(_REJECT_BY_KIND.get(kind, (REJECT_TECHNICAL,)))


# --- sending back ------------------------------------------------------------------------

SEND_BACK_FIELD = FIELD + "daya tampung tidak sesuai denah; mohon denah diperbaiki."
SEND_BACK_BAP = "Lampiran BAP belum diunggah."
SEND_BACK_CAPACITY = "Denah lokasi belum mencantumkan daya tampung; mohon dilengkapi."
SEND_BACK_ANY = (
    "Data NIB tidak sesuai dengan OSS; mohon diperiksa ulang.",
    "Alamat usaha pada draft izin belum lengkap.",
    "Nama penanggung jawab pada draft izin keliru.",
)


def send_back_reason(
    r: random.Random, kind: StepKind, *, has_floor_plan: bool, inspected: bool
) -> str:
    """Why a step of ``kind`` sends the dossier back.

    ``has_floor_plan``: the SOP asks for a floor plan (denah); ``inspected``: a
    field inspection was recorded for this dossier before now.
    """
    if kind is StepKind.INSPECTION:
        return SEND_BACK_FIELD
    fitting = list(SEND_BACK_ANY)
    if has_floor_plan:
        fitting.append(SEND_BACK_CAPACITY)
    if inspected:
        fitting.append(SEND_BACK_BAP)
    return r.choice(fitting)


# --- files returned after registration -------------------------------------------------------

#: What the clerk writes when one requirement turns out not to be in order.
RETURN_BY_REQUIREMENT = {
    "formulir": "Formulir permohonan belum ditandatangani penanggung jawab.",
    "ktp": "Fotokopi KTP tidak terbaca; mohon diganti.",
    "pas_foto": "Pas foto tidak sesuai ukuran 3x4.",
    "akta": "Fotokopi akta pendirian belum memuat perubahan terakhir.",
    "npwp": "NPWP pada berkas berbeda dengan data OSS.",
    "nib": "NIB pada berkas berbeda dengan data OSS.",
    "bukti_lahan": "Perjanjian sewa lahan pool sudah habis masa berlakunya.",
    "denah": "Denah lokasi belum mencantumkan daya tampung kendaraan.",
    "foto_lokasi": "Foto lokasi tidak memperlihatkan area parkir.",
    "lingkungan": "Dokumen lingkungan (SPPL) belum ditandatangani.",
}


def return_reason(key: str, name: str) -> str:
    """Why the files go back because requirement ``key`` (called ``name``) is not in order."""
    return RETURN_BY_REQUIREMENT.get(key) or f"{name}: belum sesuai; mohon diganti."
