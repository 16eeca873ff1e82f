"""The two SOPs of the office, as shipped in ``data/sop``, say what the seeds say.

Expected values are transcribed from the seed extractions
(``shared/seeds/000_a53f8a833c129031.txt`` for SOP 68,
``shared/seeds/001_5209dd1b173f62af.txt`` for SOP 76); anything the seeds do
not say must be marked ``inferred``.
"""

from __future__ import annotations

import pytest

from loket.catalog import Catalog, default_sop_dirs
from loket.domain.sop import Actor, Sop, StepKind, TimeStandard, TimeUnit
from tests.workflow.support import SOP_DIR

try:
    from loket.domain.calendar import WorkingCalendar

    _CALENDAR: WorkingCalendar | None = WorkingCalendar()
except ImportError:  # pragma: no cover - the calendar is written alongside
    _CALENDAR = None

M = TimeUnit.MINUTE
D = TimeUnit.DAY


def minutes_of(standard: TimeStandard) -> int:
    """Office minutes of a standard: the calendar's rule, or an 8-hour working day."""
    if _CALENDAR is not None:
        return _CALENDAR.standard_minutes(standard)
    factor = {TimeUnit.MINUTE: 1, TimeUnit.HOUR: 60, TimeUnit.DAY: 8 * 60}  # pragma: no cover
    return standard.amount * factor[standard.unit]  # pragma: no cover


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_dirs(default_sop_dirs())


@pytest.fixture(scope="module")
def sop68(catalog: Catalog) -> Sop:
    return catalog.get(68)


@pytest.fixture(scope="module")
def sop76(catalog: Catalog) -> Sop:
    return catalog.get(76)


def test_every_shipped_file_loads_into_the_catalog(catalog: Catalog) -> None:
    """Every ``*.toml`` of data/sop is valid; the catalog holds one SOP per file."""
    files = sorted(SOP_DIR.glob("*.toml"))
    assert len(files) >= 2
    assert len(catalog) == len(files)
    assert {68, 76} <= set(catalog.numbers())


# -- SOP 68, Izin Usaha Perbengkelan ------------------------------------------


def test_sop68_identity(sop68: Sop) -> None:
    assert (sop68.number, sop68.version, sop68.key) == (68, 1, "SOP68")
    assert sop68.name == "Izin Usaha Perbengkelan"
    assert sop68.approved_by == "Bupati Landak KAROLIN MARGRET NATASA"
    # The seed leaves the three dates empty; they must stay empty, not invented.
    assert (sop68.created_on, sop68.revised_on, sop68.effective_on) == ("", "", "")


def test_sop68_has_nine_steps_renumbered_with_seed_numbers_kept(sop68: Sop) -> None:
    """The seed numbers its steps 1,2,3,4,3,4,5,6,7: nine steps, renumbered 1–9."""
    assert [s.no for s in sop68.steps] == list(range(1, 10))
    assert [s.seed_no for s in sop68.steps] == [1, 2, 3, 4, 3, 4, 5, 6, 7]


def test_sop68_actors_match_the_seed(sop68: Sop) -> None:
    expected = [Actor.PEMOHON] * 3 + [Actor.FRONT_OFFICE] * 3
    expected += [Actor.KASI_PERIZINAN, Actor.KABID_PERIZINAN, Actor.KEPALA_DINAS]
    assert [s.actor for s in sop68.steps] == expected


def test_sop68_applicant_steps_are_recorded_by_front_office(sop68: Sop) -> None:
    for step in sop68.steps[:3]:
        assert step.kind is StepKind.APPLICANT
        assert step.recorded_by is Actor.FRONT_OFFICE
        assert step.acting_role is Actor.FRONT_OFFICE


def test_sop68_time_standards_match_the_seed(sop68: Sop) -> None:
    expected = [(10, M), (5, M), (5, M), (10, M), (5, M), (30, M), (1, D), (1, D), (1, D)]
    assert [(s.time.amount, s.time.unit) for s in sop68.steps] == expected


def test_sop68_service_cost_output_and_legal_basis(sop68: Sop) -> None:
    assert sop68.service_time == TimeStandard(5, TimeUnit.DAY)
    assert sop68.cost == "Tidak Dikenakan Biaya (Gratis)"
    assert sop68.output == "Dokumen Izin Usaha Perbengkelan"
    assert len(sop68.legal_basis) == 3
    assert sop68.legal_basis[1] == "UU Nomor 22 tahun 2009 tentang Lalu Lintas dan Angkutan Jalan"
    assert sop68.external_systems == ("SICANTIK",)


def test_sop68_signing_step_is_last_and_carries_the_signer_note(sop68: Sop) -> None:
    """The seed's signing column is ambiguous; the file must say how it was read."""
    last = sop68.last_step
    assert (last.no, last.kind, last.actor) == (9, StepKind.SIGNING, Actor.KEPALA_DINAS)
    assert last.label == "PENANDATANGANAN"
    assert "Kepala Dinas" in last.note
    assert "Sekretariat" in last.note
    assert "actor" in last.inferred_parts


def test_sop68_review_steps_carry_the_verification_label(sop68: Sop) -> None:
    assert [sop68.step(n).label for n in (7, 8)] == ["VERIFIKASI", "VERIFIKASI"]
    assert [sop68.step(n).output for n in (7, 8, 9)] == ["Disetujui", "Ditetapkan", "Izin"]


# -- SOP 76, Izin Pool Kendaraan -----------------------------------------------


def test_sop76_identity(sop76: Sop) -> None:
    assert (sop76.number, sop76.version, sop76.key) == (76, 1, "SOP76")
    assert sop76.name == "Izin Pool Kendaraan"
    assert sop76.approved_by == ""  # "Disahkan Oleh" is empty in the seed
    assert sop76.cost == "Tanpa Biaya"
    assert sop76.output == "Dokumen Izin Pool Kendaraan"
    assert sop76.service_time == TimeStandard(5, TimeUnit.DAY)
    assert len(sop76.legal_basis) == 4


def test_sop76_steps_after_the_seed_are_inferred(sop76: Sop) -> None:
    """The seed stops after step 6: steps 7–11 are inferred whole, 1–6 are not."""
    assert [s.no for s in sop76.steps] == list(range(1, 12))
    assert [s.inferred for s in sop76.steps] == [False] * 6 + [True] * 5
    assert [s.seed_no for s in sop76.steps] == [1, 2, 3, 4, 5, 6] + [None] * 5


def test_sop76_actors_follow_the_seed_columns(sop76: Sop) -> None:
    expected = [Actor.PEMOHON] * 3 + [Actor.FRONT_OFFICE] * 3
    expected += [
        Actor.BACK_OFFICE,
        Actor.TIM_TEKNIS,
        Actor.KASI_PERIZINAN,
        Actor.KABID_PERIZINAN,
        Actor.KEPALA_DINAS,
    ]
    assert [s.actor for s in sop76.steps] == expected
    assert sop76.step(8).kind is StepKind.INSPECTION
    assert sop76.last_step.kind is StepKind.SIGNING


def test_sop76_time_standards_of_the_seed_steps(sop76: Sop) -> None:
    expected = [(10, M), (5, M), (5, M), (10, M), (5, M), (30, M)]
    assert [(s.time.amount, s.time.unit) for s in sop76.steps[:6]] == expected


def test_sop76_flowchart_labels_are_step_labels_not_actors(sop76: Sop) -> None:
    labels = [s.label for s in sop76.steps[:6]]
    assert labels == [
        "BERKAS",
        "REGISTRASI",
        "LOGIN",
        "PENGISIAN DATA",
        "TANDA TERIMA BERKAS",
        "ENTRY DATA",
    ]
    assert all(label not in {a.value for a in Actor} for label in labels)


def test_sop76_names_both_external_systems(sop76: Sop) -> None:
    assert set(sop76.external_systems) == {"OSS", "SICANTIK"}


# -- both ----------------------------------------------------------------------


@pytest.mark.parametrize("number", [68, 76])
def test_every_requirement_is_marked_inferred(catalog: Catalog, number: int) -> None:
    """No requirement checklist is in the seeds: all of them are the office's addition."""
    sop = catalog.get(number)
    assert sop.requirements
    assert all(r.inferred for r in sop.requirements)
    assert len({r.key for r in sop.requirements}) == len(sop.requirements)


@pytest.mark.parametrize("number", [68, 76])
def test_step_standards_fit_within_the_service_time(catalog: Catalog, number: int) -> None:
    """Doing every step within its standard finishes within the SOP's *waktu*."""
    sop = catalog.get(number)
    total = sum(minutes_of(s.time) for s in sop.steps)
    assert total <= minutes_of(sop.service_time)


@pytest.mark.parametrize("number", [68, 76])
def test_permit_spec_is_inferred(catalog: Catalog, number: int) -> None:
    sop = catalog.get(number)
    assert sop.permit.inferred
    assert sop.permit.validity.inferred
    assert sop.permit.title == sop.name
