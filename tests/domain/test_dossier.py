"""Dossier state and the records around it: statuses, visits, addresses, checklists."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from loket.domain.dossier import (
    FINAL_STATUSES,
    OUTCOME_LABELS,
    STATUS_LABELS,
    Address,
    Applicant,
    ChecklistItem,
    DossierState,
    Outcome,
    Status,
    StepVisit,
    missing_mandatory,
)
from loket.domain.sop import ApplicantKind

T = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Pontianak"))

LABELS = {
    Status.IN_PROGRESS: "Diproses",
    Status.RETURNED: "Berkas dikembalikan",
    Status.REJECTED: "Ditolak",
    Status.CANCELLED: "Dibatalkan",
    Status.ISSUED: "Izin terbit",
    Status.HANDED_OVER: "Izin diserahkan",
}


@pytest.mark.parametrize("status", list(Status))
def test_status_labels_in_indonesian(status: Status) -> None:
    assert status.label == LABELS[status]


def test_every_status_has_a_label() -> None:
    assert set(STATUS_LABELS) == set(Status)


OUTCOMES = {
    Outcome.COMPLETED: "selesai",
    Outcome.SKIPPED: "dilewati",
    Outcome.RETURNED: "dikembalikan",
    Outcome.SENT_BACK: "dikirim balik",
    Outcome.REJECTED: "ditolak",
    Outcome.SIGNED: "ditandatangani",
    Outcome.CANCELLED: "dibatalkan",
}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_outcome_labels_in_indonesian(outcome: Outcome) -> None:
    """The history reads in the office's words, never the stored code (``completed``)."""
    assert outcome.label == OUTCOMES[outcome]
    assert set(OUTCOME_LABELS) == set(Outcome)


def test_final_statuses() -> None:
    """Issued is not final: the permit still has to be handed over."""
    assert frozenset({Status.REJECTED, Status.CANCELLED, Status.HANDED_OVER}) == FINAL_STATUSES
    assert [s for s in Status if s.is_final] == [
        Status.REJECTED,
        Status.CANCELLED,
        Status.HANDED_OVER,
    ]
    assert not Status.ISSUED.is_final


def test_visit_is_open_until_finished() -> None:
    visit = StepVisit(step_no=1, started_at=T)
    assert visit.open
    closed = StepVisit(step_no=1, started_at=T, finished_at=T, outcome=Outcome.COMPLETED)
    assert not closed.open


def test_state_next_bumps_the_version_and_keeps_the_rest() -> None:
    state = DossierState(Status.IN_PROGRESS, 1, (StepVisit(1, T),))
    assert state.version == 1
    after = state.next(status=Status.RETURNED)
    assert (after.status, after.step_no, after.visits, after.version) == (
        Status.RETURNED,
        1,
        state.visits,
        2,
    )
    assert state.status is Status.IN_PROGRESS


def test_with_last_visit_replaces_only_the_last() -> None:
    first, second = StepVisit(1, T, finished_at=T), StepVisit(2, T)
    state = DossierState(Status.IN_PROGRESS, 2, (first, second))
    assert state.current_visit is second
    closed = StepVisit(2, T, finished_at=T)
    assert state.with_last_visit(closed) == (first, closed)


@pytest.mark.parametrize(
    ("address", "line"),
    [
        (Address(), "Kab. Landak"),
        (
            Address(street="Jl. Pemuda No. 1", desa="Hilir Kantor", kecamatan="Ngabang"),
            "Jl. Pemuda No. 1, Desa Hilir Kantor, Kec. Ngabang, Kab. Landak",
        ),
        (Address(desa="Raja", kabupaten=""), "Desa Raja"),
        (Address(kabupaten=""), ""),
    ],
)
def test_address_on_one_line_leaves_out_empty_parts(address: Address, line: str) -> None:
    assert address.one_line() == line


def test_address_defaults_to_landak_in_west_kalimantan() -> None:
    assert (Address().kabupaten, Address().province) == ("Landak", "Kalimantan Barat")


def test_applicant_defaults() -> None:
    applicant = Applicant(ApplicantKind.INDIVIDUAL, "Yohanes")
    assert applicant.address == Address()
    assert applicant.representative == ""


def test_missing_mandatory_lists_only_unreceived_mandatory_items() -> None:
    checklist = (
        ChecklistItem("formulir", "Formulir", mandatory=True, received=True),
        ChecklistItem("ktp", "KTP", mandatory=True, received=False),
        ChecklistItem("nib", "NIB", mandatory=False, received=False),
        ChecklistItem("akta", "Akta", mandatory=True, received=False, note="menyusul"),
    )
    assert [item.key for item in missing_mandatory(checklist)] == ["ktp", "akta"]
    assert missing_mandatory(()) == ()
