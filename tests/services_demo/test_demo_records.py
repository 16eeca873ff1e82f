"""Demo data beside the workflow: receivers, field inspections, survey answers, reasons.

One demo is generated into a real SQLite file and read back through the
services (BAP, IKM, handover), the command line and plain SQL. Each rule a
reason must obey is stated here again and checked on the dossier's stored history.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from loket.cli.main import main
from loket.domain.calendar import WIB
from loket.domain.dossier import DossierRecord, Outcome, Status, StepVisit
from loket.domain.roles import Role
from loket.domain.sop import StepKind
from loket.domain.validation import Severity, validate_nik
from loket.services.context import Loket, open_loket
from loket.services.demo import DEMO_USERS, generate_demo
from loket.services.demo_reasons import cancel_reason
from loket.services.inspections import Inspection
from loket.services.users import SYSTEM, User
from loket.storage.database import DB_FILE_NAME
from tests.documents.support import pdf_text

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=WIB)
COUNT = 400
SEED = 5
FIELD = "Hasil pemeriksaan lapangan: "
NOT_COMPLETED = "Pemohon tidak melengkapi berkas dalam 14 hari."
DUPLICATE = "Permohonan ganda; diganti berkas baru."
WRONG_PERMIT = "Salah memilih jenis izin; didaftarkan ulang pada hari yang sama."
ANY_TIME = ("Pemohon mengundurkan diri.", "Pemohon menunda rencana usahanya.")


@dataclass
class Demo:
    loket: Loket
    folder: Path

    def sql(self, query: str, *args: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.folder / DB_FILE_NAME) as connection:
            return connection.execute(query, args).fetchall()

    def user(self, role: Role) -> User:
        username = next(name for name, r, _full, _nip in DEMO_USERS if r is role)
        found = self.loket.users.by_username(username)
        assert found is not None
        return found

    def record(self, number: str) -> DossierRecord:
        with self.loket.storage.reading() as store:
            return store.dossier(number)

    def numbers(self, where: str, *args: object) -> list[str]:
        rows = self.sql(f"SELECT number FROM dossiers WHERE {where} ORDER BY number", *args)
        return [str(n) for (n,) in rows]

    def inspections(self, number: str) -> list[Inspection]:
        return self.loket.back_office.inspections.of(self.user(Role.TIM_TEKNIS), number)

    def trail(self, number: str) -> list[dict[str, object]]:
        return self.loket.dossiers.audit_trail(self.user(Role.FRONT_OFFICE), number)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo-records")
    loket = open_loket(data_dir=folder, create=True, clock=lambda: NOW)
    generate_demo(loket, COUNT, seed=SEED, now=NOW)
    yield Demo(loket, folder)
    loket.close()


def _day(moment: datetime) -> date:
    return moment.astimezone(WIB).date()


def _at(entry: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(entry["at"]))


def _no_nik_errors(nik: str) -> bool:
    return not [p for p in validate_nik(nik) if p.severity is Severity.ERROR]


# --- handover receivers --------------------------------------------------------------------


def test_every_handed_over_permit_names_its_receiver(demo: Demo) -> None:
    fo = demo.user(Role.FRONT_OFFICE)
    handed = demo.numbers("status = ?", Status.HANDED_OVER.value)
    assert len(handed) > 100
    stored = demo.sql("SELECT count(*), count(DISTINCT dossier_id) FROM handovers")[0]
    assert stored == (len(handed), len(handed))  # one each, and none for any other dossier
    by_proxy = 0
    for number in handed:
        receiver = demo.loket.back_office.steps.handover(fo, number)
        assert receiver is not None, number
        assert _no_nik_errors(receiver.receiver_id_number), receiver
        applicant = demo.record(number).applicant
        if receiver.receiver_name == (applicant.representative or applicant.name):
            if applicant.nik:  # an individual takes it with their own KTP
                assert receiver.receiver_id_number == applicant.nik, number
        else:  # kuasa: another person, with their own KTP
            by_proxy += 1
            assert receiver.receiver_id_number != applicant.nik, number
        hand_over = next(e for e in demo.trail(number) if e["action"] == "hand_over")
        assert receiver.handed_at == _at(hand_over), number
    assert 0.03 * len(handed) < by_proxy < 0.5 * len(handed)
    assert demo.sql("SELECT DISTINCT user_id FROM handovers") == [(fo.id,)]


def test_every_record_has_the_audit_entry_its_service_writes(demo: Demo) -> None:
    """Receivers, inspections and survey answers are audited as the services audit them:
    same action, user, time and ``after``, in the chain's time order, with no outbox entry."""
    entries = {
        (str(number), str(action)): (json.loads(str(after)), str(user), str(at))
        for number, action, after, user, at in demo.sql(
            "SELECT entity_id, action, after, user_id, at FROM audit_log "
            "WHERE action IN ('handover_receiver', 'survey', 'inspection_scheduled', "
            "'inspection_recorded')"
        )
    }
    fo, tim = demo.user(Role.FRONT_OFFICE).id, demo.user(Role.TIM_TEKNIS).id
    expected: dict[tuple[str, str], tuple[dict[str, object], str, str]] = {}
    for number, name, id_number, at in demo.sql(
        "SELECT d.number, h.receiver_name, h.receiver_id_number, h.handed_at FROM handovers h "
        "JOIN dossiers d ON d.id = h.dossier_id"
    ):
        after = {"receiver": name, "id_number": id_number}
        expected[(str(number), "handover_receiver")] = (after, fo, str(at))
    for number, at, *scores in demo.sql(
        "SELECT d.number, s.answered_at, s.u1, s.u2, s.u3, s.u4, s.u5, s.u6, s.u7, s.u8, s.u9 "
        "FROM survey_responses s JOIN dossiers d ON d.id = s.dossier_id"
    ):
        expected[(str(number), "survey")] = ({"scores": scores}, fo, str(at))
    for number, *row, at in demo.sql(
        "SELECT d.number, i.id, i.scheduled_on, i.inspected_on, i.team, i.findings, "
        "i.recommendation, i.photos, i.updated_at FROM inspections i "
        "JOIN dossiers d ON d.id = i.dossier_id"
    ):
        keys = ("id", "scheduled_on", "inspected_on", "team", "findings", "recommendation")
        after = dict(zip((*keys, "photos"), row, strict=True))
        action = "inspection_scheduled" if after["inspected_on"] is None else "inspection_recorded"
        expected[(str(number), action)] = (after, tim, str(at))
    assert len(expected) > 200
    assert entries == expected
    # The chain stays in time order with them, and none of them went to the outbox.
    times = [
        str(a)
        for (a,) in demo.sql("SELECT at FROM audit_log WHERE entity = 'dossier' ORDER BY seq")
    ]
    assert times == sorted(times)
    assert demo.sql(
        "SELECT count(*) FROM outbox WHERE command IN ('handover_receiver', 'survey', "
        "'inspection_scheduled', 'inspection_recorded')"
    ) == [(0,)]
    assert demo.loket.audit.verify(SYSTEM).ok


# --- field inspections (BAP) ---------------------------------------------------------------


def _inspection_visits(demo: Demo, record: DossierRecord) -> list[StepVisit]:
    sop = demo.loket.catalog.get(record.sop_number, record.sop_version)
    steps = {s.no for s in sop.steps if s.kind is StepKind.INSPECTION}
    return [
        v
        for v in record.state.visits
        if v.step_no in steps and v.finished_at is not None and v.outcome is not Outcome.CANCELLED
    ]


def test_every_visit_past_the_inspection_step_has_its_report(demo: Demo) -> None:
    lead = next(full for _u, role, full, _nip in DEMO_USERS if role is Role.TIM_TEKNIS)
    outcomes: Counter[Outcome] = Counter()
    scheduled = 0
    for number in demo.numbers("sop_number = 76"):
        record = demo.record(number)
        visits = _inspection_visits(demo, record)
        found = demo.inspections(number)
        recorded = [i for i in found if i.recorded]
        assert len(recorded) == len(visits), number
        for visit, report in zip(visits, recorded, strict=True):
            assert visit.finished_at is not None and report.inspected_on is not None
            assert _day(visit.started_at) <= report.inspected_on <= _day(visit.finished_at)
            assert report.scheduled_on == report.inspected_on
            assert report.team[0].startswith(lead) and len(report.team) >= 2
            assert report.findings.startswith("1. ") and "Lokasi usaha di" in report.findings
            assert visit.outcome is not None
            outcomes[visit.outcome] += 1
            if visit.outcome is Outcome.COMPLETED:  # the step's fields repeat the BAP
                data = dict(visit.data)
                assert data["tanggal_pemeriksaan"] == report.inspected_on.isoformat()
                assert data["rekomendasi"] == report.recommendation
                assert report.recommendation.startswith("Layak")
            elif visit.outcome is Outcome.REJECTED:
                assert report.recommendation.startswith("Tidak layak"), number
            else:
                assert visit.outcome is Outcome.SENT_BACK
                assert report.recommendation.startswith("Perlu perbaikan"), number
        waiting = [i for i in found if not i.recorded]
        if waiting:  # only scheduled: the dossier still waits for its field visit
            scheduled += 1
            (plan,) = waiting
            current = record.state.current_visit
            assert record.state.status is Status.IN_PROGRESS and current.open
            sop = demo.loket.catalog.get(record.sop_number, record.sop_version)
            assert sop.step(current.step_no).kind is StepKind.INSPECTION
            assert _day(current.started_at) < plan.scheduled_on
            assert plan.scheduled_on.weekday() < 5
    assert outcomes[Outcome.COMPLETED] > 50
    assert scheduled >= 1
    inspector = demo.user(Role.TIM_TEKNIS)
    assert demo.sql("SELECT DISTINCT recorded_by FROM inspections") == [(inspector.id,)]
    assert demo.sql(
        "SELECT count(*) FROM inspections WHERE dossier_id IN "
        "(SELECT id FROM dossiers WHERE sop_number <> 76)"
    ) == [(0,)]


def test_the_bap_of_an_inspected_dossier_prints(demo: Demo) -> None:
    number = demo.numbers("sop_number = 76 AND status = ?", Status.HANDED_OVER.value)[0]
    report = [i for i in demo.inspections(number) if i.recorded][-1]
    document = demo.loket.documents.inspection_report_document(SYSTEM, number)
    text = " ".join(pdf_text(document.pdf).split())
    assert "BERITA ACARA PEMERIKSAAN" in text
    assert number in text
    assert report.recommendation in text
    assert "Agustinus Alon" in text and "Dinas Perhubungan" in text
    first_finding = report.findings.splitlines()[0].removeprefix("1. ")
    assert " ".join(first_finding.split()[:6]) in text


def test_the_command_line_prints_a_bap_and_verifies_the_audit_chain(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOKET_DATA_DIR", str(demo.folder))
    monkeypatch.delenv("LOKET_DATABASE_URL", raising=False)
    number = demo.numbers("sop_number = 76 AND status = ?", Status.ISSUED.value)[0]
    out = tmp_path / "bap.pdf"
    assert main(["bap", number, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert "Rantai audit utuh" in capsys.readouterr().out


# --- the satisfaction survey (IKM) -----------------------------------------------------------


def test_a_share_of_handed_over_applicants_answered_the_survey(demo: Demo) -> None:
    rows = demo.sql(
        "SELECT d.status, d.sop_number, s.sop_number, s.answered_at, h.handed_at, "
        "s.u1, s.u2, s.u3, s.u4, s.u5, s.u6, s.u7, s.u8, s.u9 FROM survey_responses s "
        "JOIN dossiers d ON d.id = s.dossier_id LEFT JOIN handovers h ON h.dossier_id = d.id"
    )
    handed = len(demo.numbers("status = ?", Status.HANDED_OVER.value))
    assert 0.3 * handed <= len(rows) <= 0.6 * handed
    scores: Counter[int] = Counter()
    for status, sop_number, answered_sop, answered, handed_at, *answers in rows:
        assert status == Status.HANDED_OVER.value and sop_number == answered_sop
        assert handed_at is not None and str(handed_at) <= str(answered)  # same stored format
        assert str(answered) <= NOW.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        assert all(isinstance(a, int) and 1 <= a <= 4 for a in answers)
        scores.update(int(str(a)) for a in answers)
    assert scores[3] > scores[2] > scores[1] and scores[4] > scores[2]  # mostly 3 and 4


def test_the_ikm_report_has_the_answers(demo: Demo) -> None:
    kasi = demo.user(Role.KASI_PERIZINAN)
    answered = demo.sql("SELECT count(*) FROM survey_responses")[0][0]
    scores = demo.loket.back_office.survey.score(kasi, NOW - timedelta(days=500), NOW)
    office = scores[None]
    assert office.respondents == answered
    assert 70.0 <= office.converted <= 95.0 and office.grade in ("B", "C", "A")
    assert {68, 76} <= set(scores)
    latest = max(str(a) for (a,) in demo.sql("SELECT answered_at FROM survey_responses"))
    month = date.fromisoformat(latest[:10]).replace(day=1)
    report = demo.loket.back_office.monthly.report(kasi, month)
    assert report.ikm.respondents > 0


# --- reasons that fit ----------------------------------------------------------------------------


def test_every_cancellation_reason_fits_its_timing(demo: Demo) -> None:
    cancelled = demo.numbers("status = ?", Status.CANCELLED.value)
    assert len(cancelled) >= 5
    while_returned = 0
    for number in cancelled:
        record = demo.record(number)
        sop = demo.loket.catalog.get(record.sop_number, record.sop_version)
        entry = next(e for e in demo.trail(number) if e["action"] == "cancel")
        before, after = json.loads(str(entry["before"])), json.loads(str(entry["after"]))
        reason, at = after["reason"], _at(entry)
        age = (_day(at) - _day(record.received_at)).days
        assert reason in (NOT_COMPLETED, DUPLICATE, WRONG_PERMIT, *ANY_TIME), number
        while_returned += before["status"] == Status.RETURNED.value
        if reason == NOT_COMPLETED:
            assert before["status"] == Status.RETURNED.value, number
            returned = [v for v in record.state.visits if v.outcome is Outcome.RETURNED]
            assert returned and returned[-1].finished_at is not None
            assert (_day(at) - _day(returned[-1].finished_at)).days >= 14, number
        elif reason == DUPLICATE:
            assert age <= 7, number
        elif reason == WRONG_PERMIT:
            assert age == 0 and before["status"] == Status.IN_PROGRESS.value, number
            assert sop.step(before["step"]).acting_role.value == Role.FRONT_OFFICE.value
    assert while_returned >= 2  # files never brought back: one for each SOP at least


def test_the_cancellation_rule_at_its_edges() -> None:
    r = random.Random(1)
    for _ in range(200):
        assert cancel_reason(
            r, returned_days=13, days_since_registration=30, at_counter=True
        ) not in (NOT_COMPLETED, DUPLICATE, WRONG_PERMIT)
        late = cancel_reason(r, returned_days=None, days_since_registration=8, at_counter=True)
        assert late in ANY_TIME
        week = cancel_reason(r, returned_days=None, days_since_registration=7, at_counter=False)
        assert week in (DUPLICATE, *ANY_TIME)
    same_day = {
        cancel_reason(r, returned_days=None, days_since_registration=0, at_counter=True)
        for _ in range(200)
    }
    assert same_day == {DUPLICATE, WRONG_PERMIT, *ANY_TIME}
    overdue = {
        cancel_reason(r, returned_days=14, days_since_registration=20, at_counter=True)
        for _ in range(200)
    }
    assert NOT_COMPLETED in overdue


def test_rejections_and_sending_back_name_only_what_happened(demo: Demo) -> None:
    checked = 0
    for number in demo.numbers("1 = 1"):
        record = demo.record(number)
        sop = demo.loket.catalog.get(record.sop_number, record.sop_version)
        reports = [i for i in demo.inspections(number) if i.recorded]
        for visit in record.state.visits:
            if visit.outcome not in (Outcome.REJECTED, Outcome.SENT_BACK):
                continue
            assert visit.finished_at is not None
            checked += 1
            kind = sop.step(visit.step_no).kind
            if visit.reason.startswith(FIELD):  # only the inspection's own step says so
                assert kind is StepKind.INSPECTION, number
            if kind is StepKind.INSPECTION:
                assert visit.reason.startswith(FIELD) or "tata ruang" in visit.reason, number
            inspected_before = [
                i for i in reports if i.inspected_on and i.inspected_on <= _day(visit.finished_at)
            ]
            if "BAP" in visit.reason:
                assert inspected_before, number
            if "Denah" in visit.reason:
                assert any(q.key == "denah" for q in sop.requirements), number
    assert checked > 10


# --- repeatable -----------------------------------------------------------------------------------


def _records(folder: Path) -> list[list[tuple[object, ...]]]:
    with sqlite3.connect(folder / DB_FILE_NAME) as connection:
        return [
            connection.execute(query).fetchall()
            for query in (
                "SELECT d.number, h.receiver_name, h.receiver_id_number, h.handed_at "
                "FROM handovers h JOIN dossiers d ON d.id = h.dossier_id ORDER BY 1",
                "SELECT d.number, i.scheduled_on, i.inspected_on, i.team, i.findings, "
                "i.recommendation, i.updated_at FROM inspections i "
                "JOIN dossiers d ON d.id = i.dossier_id ORDER BY 1, 7",
                "SELECT d.number, s.answered_at, s.u1, s.u2, s.u3, s.u4, s.u5, s.u6, s.u7, "
                "s.u8, s.u9, s.suggestion FROM survey_responses s "
                "JOIN dossiers d ON d.id = s.dossier_id ORDER BY 1",
            )
        ]


def test_same_seed_same_records_with_or_without_worker_processes(tmp_path: Path) -> None:
    made = []
    for workers in (0, 1):
        folder = tmp_path / f"w{workers}"
        loket = open_loket(data_dir=folder, create=True, clock=lambda: NOW)
        try:
            generate_demo(loket, 150, seed=9, now=NOW, workers=workers)
        finally:
            loket.close()
        made.append(_records(folder))
    assert made[0] == made[1]
    assert all(made[0])  # receivers, inspections and answers were all made
