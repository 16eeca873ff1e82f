"""Demo data: every SOP, every state, through the real engine, legal to the last row.

One demo of a few hundred dossiers is generated per module into a real SQLite
file and read back through the services and the store, as the desktop would.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

import pytest

from loket.domain.calendar import WIB
from loket.domain.dossier import (
    Address,
    Applicant,
    Business,
    DossierRecord,
    DossierState,
    Outcome,
    Status,
)
from loket.domain.roles import Role
from loket.domain.sop import ApplicantKind, Sop, StepKind
from loket.domain.validation import (
    Severity,
    nik_info,
    normalize_phone,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_phone,
)
from loket.services.context import Loket, open_loket
from loket.services.demo import DEMO_USERS, KECAMATAN, DemoReport, generate_demo
from loket.services.desk import needs_first_run
from loket.services.dossiers import Intake, WalkedStep
from loket.services.errors import InvalidInput
from loket.services.users import SYSTEM, User
from loket.storage.audit import canonical_json
from loket.storage.database import DB_FILE_NAME
from loket.workflow import Acting, Action, Command, Transition, advance, start

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=WIB)
COUNT = 300
SEED = 7


@dataclass
class Demo:
    loket: Loket
    report: DemoReport
    path: Path

    def sql(self, query: str, *args: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(query, args).fetchall()

    def user(self, role: Role) -> User:
        username = next(name for name, r, _full, _nip in DEMO_USERS if r is role)
        found = self.loket.users.by_username(username)
        assert found is not None
        return found

    def records(self) -> list[DossierRecord]:
        numbers = [str(row[0]) for row in self.sql("SELECT number FROM dossiers ORDER BY number")]
        with self.loket.storage.reading() as store:
            return [store.dossier(number) for number in numbers]


def _open(folder: Path) -> Loket:
    return open_loket(data_dir=folder, create=True, clock=lambda: NOW)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo")
    loket = _open(folder)
    seen: list[int] = []
    report = generate_demo(loket, COUNT, seed=SEED, now=NOW, progress=seen.append)
    assert seen and seen[-1] == COUNT
    yield Demo(loket, report, folder / DB_FILE_NAME)
    loket.close()


# --- coverage ----------------------------------------------------------------------------


def test_every_sop_and_every_status_is_present(demo: Demo) -> None:
    assert demo.report.count == COUNT
    assert set(demo.report.by_sop) == set(demo.loket.catalog.numbers())
    assert set(demo.report.by_status) == {s.value for s in Status}
    stored = Counter(str(s) for (s,) in demo.sql("SELECT status FROM dossiers"))
    assert stored == Counter(demo.report.by_status)
    for sop in demo.loket.catalog.latest():
        statuses = {
            str(s)
            for (s,) in demo.sql("SELECT status FROM dossiers WHERE sop_number = ?", sop.number)
        }
        assert statuses == {s.value for s in Status}, sop.number


def test_every_step_of_every_sop_has_a_dossier_in_progress(demo: Demo) -> None:
    for sop in demo.loket.catalog.latest():
        steps = {
            int(n)
            for (n,) in demo.sql(
                "SELECT DISTINCT step_no FROM dossiers WHERE sop_number = ? AND status = ?",
                sop.number,
                Status.IN_PROGRESS.value,
            )
        }
        assert steps == {s.no for s in sop.steps}, sop.number


def test_some_dossier_was_sent_back_and_some_returned_then_resumed(demo: Demo) -> None:
    actions = Counter(str(a) for (a,) in demo.sql("SELECT action FROM audit_log"))
    for action in Action:
        assert actions[action.value] > 0, action
    assert actions["register"] == COUNT
    assert actions["user_add"] == len(DEMO_USERS)


# --- legality -------------------------------------------------------------------------------


def test_audit_chain_verifies(demo: Demo) -> None:
    report = demo.loket.audit.verify(SYSTEM)
    assert report.ok, report.problem
    assert report.checked == demo.sql("SELECT count(*) FROM audit_log")[0][0]


#: What the inspection, survey and handover services audit beside their records: entries
#: with no outbox entry (the records are not synced as commands).
RECORD_ACTIONS = "('handover_receiver', 'survey', 'inspection_scheduled', 'inspection_recorded')"


def test_every_action_has_its_audit_entry_and_outbox_entry(demo: Demo) -> None:
    dossier_entries = demo.sql(
        "SELECT count(*) FROM audit_log WHERE entity = 'dossier' "
        f"AND action NOT IN {RECORD_ACTIONS}"
    )[0][0]
    assert demo.sql("SELECT count(*) FROM outbox")[0][0] == dossier_entries
    seqs = [int(s) for (s,) in demo.sql("SELECT client_seq FROM outbox ORDER BY client_seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert demo.sql("SELECT value FROM counters WHERE name = 'outbox'")[0][0] == len(seqs)
    # Per dossier: one outbox entry per audit entry, base versions in order.
    audit = Counter(
        str(e)
        for (e,) in demo.sql(
            "SELECT entity_id FROM audit_log WHERE entity = 'dossier' "
            f"AND action NOT IN {RECORD_ACTIONS}"
        )
    )
    outbox = Counter(
        str(n)
        for (n,) in demo.sql("SELECT d.number FROM outbox o JOIN dossiers d ON d.id = o.entity_id")
    )
    assert audit == outbox


def test_audit_log_and_outbox_are_in_time_order(demo: Demo) -> None:
    times = [
        str(a)
        for (a,) in demo.sql("SELECT at FROM audit_log WHERE entity = 'dossier' ORDER BY seq")
    ]
    assert times == sorted(times)
    created = [str(c) for (c,) in demo.sql("SELECT created_at FROM outbox ORDER BY client_seq")]
    assert created == sorted(created)


def test_stored_json_is_canonical(demo: Demo) -> None:
    for before, after in demo.sql("SELECT before, after FROM audit_log"):
        for text in (before, after):
            assert canonical_json(json.loads(str(text))) == text
    for (payload,) in demo.sql("SELECT payload FROM outbox"):
        assert canonical_json(json.loads(str(payload))) == payload


def _replay(sop: Sop, record: DossierRecord) -> DossierState:
    """Drive the engine along the stored visits and status: it must arrive where storage is."""
    visits = record.state.visits
    clerk = Acting("replay", Role.FRONT_OFFICE)
    state = start(sop, actor=clerk, now=visits[0].started_at)
    for index, visit in enumerate(visits):
        assert state.current_visit.step_no == visit.step_no
        assert state.current_visit.started_at == visit.started_at
        if visit.finished_at is None:
            break
        assert visit.outcome is not None and visit.role is not None and visit.user_id
        follows = visits[index + 1] if index + 1 < len(visits) else None
        command = {
            Outcome.COMPLETED: Command(Action.COMPLETE_STEP, data=visit.data),
            Outcome.SKIPPED: Command(Action.SKIP_STEP, data=visit.data),
            Outcome.RETURNED: Command(Action.RETURN_FILES, reason=visit.reason),
            Outcome.SENT_BACK: Command(
                Action.SEND_BACK,
                target_step=follows.step_no if follows else None,
                reason=visit.reason,
            ),
            Outcome.REJECTED: Command(Action.REJECT, reason=visit.reason),
            Outcome.SIGNED: Command(Action.SIGN),
            Outcome.CANCELLED: Command(Action.CANCEL, reason=visit.reason),
        }[visit.outcome]
        acting = Acting(visit.user_id, Role(visit.role))
        result = advance(sop, state, command, actor=acting, now=visit.finished_at)
        assert isinstance(result, Transition), (record.number, result)
        state = result.after
        if visit.outcome is Outcome.RETURNED and follows is not None:
            result = advance(
                sop, state, Command(Action.RESUME), actor=clerk, now=follows.started_at
            )
            assert isinstance(result, Transition), (record.number, result)
            state = result.after
    final = record.state.status
    if final is Status.HANDED_OVER:
        result = advance(sop, state, Command(Action.HAND_OVER), actor=clerk, now=NOW)
        assert isinstance(result, Transition)
        state = result.after
    elif final is Status.CANCELLED and state.status is Status.RETURNED:
        result = advance(sop, state, Command(Action.CANCEL, reason="x"), actor=clerk, now=NOW)
        assert isinstance(result, Transition)
        state = result.after
    return state


def test_each_dossier_is_where_replaying_its_visits_leads(demo: Demo) -> None:
    for record in demo.records():
        sop = demo.loket.catalog.get(record.sop_number, record.sop_version)
        replayed = _replay(sop, record)
        assert replayed == record.state, record.number
        # The audit trail tells the same story: its last entry holds the stored state.
        trail = demo.loket.dossiers.audit_trail(demo.user(Role.FRONT_OFFICE), record.number)
        last = json.loads(
            next(e["after"] for e in reversed(trail) if e["action"] not in RECORD_ACTIONS)
        )
        assert (last["status"], last["step"], last["version"]) == (
            record.state.status.value,
            record.state.step_no,
            record.state.version,
        )
        assert trail[0]["action"] == "register"


def test_permits_are_gapless_chronological_and_match_their_dossiers(demo: Demo) -> None:
    rows = demo.sql(
        "SELECT p.number, p.issued_at, d.permit_number, d.status, d.sop_number, p.valid_until "
        "FROM permits p JOIN dossiers d ON d.id = p.dossier_id ORDER BY p.issued_at"
    )
    by_year: dict[str, list[int]] = defaultdict(list)
    for number, _issued, on_dossier, status, sop_number, valid_until in rows:
        assert number == on_dossier
        assert status in (Status.ISSUED.value, Status.HANDED_OVER.value)
        match = re.fullmatch(r"503/(\d{4})/([A-Z-]+)/DPMPTSP-TK/(\d{4})", str(number))
        assert match, number
        sop = demo.loket.catalog.get(int(str(sop_number)))
        assert match.group(2) == sop.permit.code
        assert (valid_until is None) == (sop.permit.validity.years is None)
        by_year[match.group(3)].append(int(match.group(1)))
    for year, seqs in by_year.items():
        assert seqs == list(range(1, len(seqs) + 1)), year  # issued in order, no gaps
        assert demo.sql("SELECT value FROM counters WHERE name = ?", f"permit/{year}") == [
            (len(seqs),)
        ]
    finished = demo.sql("SELECT count(*) FROM dossiers WHERE status IN ('issued', 'handed_over')")[
        0
    ][0]
    assert finished == len(rows)
    assert demo.sql("SELECT count(*) FROM dossiers WHERE permit_number IS NOT NULL")[0][0] == len(
        rows
    )


# --- realism --------------------------------------------------------------------------------


def test_received_on_working_days_in_office_hours_within_the_history(demo: Demo) -> None:
    calendar = demo.loket.calendar
    for record in demo.records():
        local = record.received_at.astimezone(WIB)
        assert calendar.is_working_day(local.date()), record.number
        assert time(8, 0) <= local.time() < time(16, 0), record.number
        assert (NOW - record.received_at).days <= 400
        assert record.received_at < NOW
        year = local.year
        assert re.fullmatch(rf"SOP{record.sop_number}/{year}/FO1/\d{{6}}", record.number)
        for visit in record.state.visits:
            for moment in (visit.started_at, visit.finished_at):
                if moment is not None:
                    inside = moment.astimezone(WIB)
                    assert calendar.is_working_day(inside.date())
                    assert time(8, 0) <= inside.time() <= time(16, 0)
                    assert moment <= NOW


def _errors(problems: list[object]) -> list[object]:
    return [p for p in problems if getattr(p, "severity", None) is Severity.ERROR]


def test_applicants_carry_valid_identity_numbers_and_landak_addresses(demo: Demo) -> None:
    rows = demo.sql(
        "SELECT kind, name, nik, nib, npwp, phone, email, kecamatan, kabupaten, representative "
        "FROM applicants"
    )
    kecamatan = {name for _code, name, _w, _desa in KECAMATAN}
    local = 0
    for kind, name, nik, nib, npwp, phone, email, kec, kabupaten, representative in rows:
        assert str(name).strip() == name and name
        assert not _errors(list(validate_nik(str(nik))))
        assert not _errors(list(validate_nib(str(nib))))
        assert not _errors(list(validate_npwp(str(npwp))))
        assert not _errors(list(validate_phone(str(phone))))
        assert normalize_phone(str(phone)) == phone and str(phone).startswith("+628")
        assert email == "" or "@" in str(email)
        if kind == ApplicantKind.INDIVIDUAL.value:
            info = nik_info(str(nik), today=NOW.date())
            assert 1950 <= info.birth_date.year <= 2008
            local += info.regency_code == "08" and info.province_code == "61"
        else:
            assert nik == "" and len(str(nib)) == 13 and representative
        if kabupaten == "Landak":
            assert kec in kecamatan
    individuals = sum(1 for row in rows if row[0] == ApplicantKind.INDIVIDUAL.value)
    assert local > individuals * 0.7  # most were first registered in Landak (61.08)
    assert any(row[8] != "Landak" for row in rows)  # and a few come from elsewhere
    names = " ".join(str(row[1]) for row in rows)
    for community in (
        "Yohanes|Paulus|Maria|Agustinus",
        "Muhammad|Siti|Ahmad|Syarif",
        "Lim|Tan|Bong|Tjhai",
        "Sutrisno|Sri|Slamet|Joko|Budi",
    ):
        assert re.search(community, names), community
    assert any(
        int(str(nik)[6:8]) > 40
        for (nik,) in demo.sql("SELECT nik FROM applicants WHERE kind = 'individual'")
    )  # women: day + 40


def test_businesses_are_workshops_and_pools(demo: Demo) -> None:
    names = [str(n) for (n,) in demo.sql("SELECT name FROM businesses")]
    assert any(n.startswith("Bengkel") for n in names)
    assert any(n.startswith("Pool") for n in names)
    kbli = {str(k) for (k,) in demo.sql("SELECT DISTINCT kbli FROM businesses")}
    assert kbli <= {"", "45201", "45405"}


def test_some_applicants_return_with_another_dossier(demo: Demo) -> None:
    repeat = demo.sql(
        "SELECT count(*) FROM (SELECT applicant_id FROM dossiers GROUP BY applicant_id "
        "HAVING count(*) > 1)"
    )[0][0]
    assert repeat > 0


# --- the real service carries on -----------------------------------------------------------


def _keys(text: object) -> frozenset[str]:
    return frozenset(json.loads(str(text)))


def test_demo_entries_have_the_shape_the_service_writes(demo: Demo, tmp_path: Path) -> None:
    """Same fields as DossierService.register/act write, for every action both make."""
    loket = _open(tmp_path)
    try:
        generate_demo(loket, 0, now=NOW)  # only the demo accounts
        fo = _user(loket, Role.FRONT_OFFICE)
        view = loket.dossiers.register(fo, _intake(loket, 76))
        sop = view.sop
        while view.record.state.status is Status.IN_PROGRESS:
            step = sop.step(view.record.state.step_no)
            action = Action.SIGN if step.kind is StepKind.SIGNING else Action.COMPLETE_STEP
            data = tuple(
                (f.key, "2026-11-20" if f.type.value == "date" else "Layak")
                for f in step.fields
                if f.required
            )
            view = loket.dossiers.act(
                _user(loket, Role(step.acting_role.value)),
                view.record.number,
                Command(action, data=data),
            )
        loket.dossiers.act(fo, view.record.number, Command(Action.HAND_OVER))
        real = _shapes(tmp_path / DB_FILE_NAME)
    finally:
        loket.close()
    made = _shapes(demo.path)
    for action, shapes in real.items():
        assert shapes <= made[action], action


def _shapes(path: Path) -> dict[str, set[tuple[frozenset[str], frozenset[str]]]]:
    shapes: dict[str, set[tuple[frozenset[str], frozenset[str]]]] = defaultdict(set)
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT a.action, a.after, o.payload FROM audit_log a JOIN outbox o "
            "ON o.created_at = a.at AND o.command = a.action "
            "JOIN dossiers d ON d.id = o.entity_id AND d.number = a.entity_id"
        ).fetchall()
    for action, after, payload in rows:
        shapes[str(action)].add((_keys(after), _keys(payload)))
    return shapes


def _user(loket: Loket, role: Role) -> User:
    username = next(name for name, r, _full, _nip in DEMO_USERS if r is role)
    found = loket.users.by_username(username)
    assert found is not None
    return found


def _intake(loket: Loket, sop_number: int) -> Intake:
    sop = loket.catalog.get(sop_number)
    walked_at = NOW.replace(minute=0)
    return Intake(
        sop_number=sop_number,
        applicant=Applicant(
            kind=ApplicantKind.COMPANY,
            name="CV Uji Coba Trans",
            nib="9120001234567",
            phone="081234567890",
            address=Address(street="Jl. Pemuda No. 1", desa="Raja", kecamatan="Ngabang"),
            representative="Paulus Atet",
        ),
        business=Business(
            name="Pool Bus Uji Coba", address=Address(desa="Raja", kecamatan="Ngabang")
        ),
        received=frozenset(r.key for r in sop.requirements),
        started_at=walked_at,
        walked=tuple(
            WalkedStep(step.no, Action.COMPLETE_STEP, walked_at)
            for step in sop.steps
            if step.kind in (StepKind.APPLICANT, StepKind.INTAKE)
        ),
    )


def test_normal_work_continues_the_numbers_after_the_demo(demo: Demo, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    with sqlite3.connect(demo.path) as source, sqlite3.connect(folder / DB_FILE_NAME) as target:
        source.backup(target)
    loket = _open(folder)
    try:
        for sop_number in (68, 76):
            year = NOW.year
            existing = [
                int(str(n).rsplit("/", 1)[1])
                for (n,) in _sql(
                    folder,
                    "SELECT number FROM dossiers WHERE sop_number = ? AND number LIKE ?",
                    sop_number,
                    f"SOP{sop_number}/{year}/%",
                )
            ]
            view = loket.dossiers.register(
                _user(loket, Role.FRONT_OFFICE), _intake(loket, sop_number)
            )
            assert view.record.number == f"SOP{sop_number}/{year}/FO1/{max(existing) + 1:06d}"
        # Signing a demo dossier takes the next permit number of the year.
        waiting = _sql(
            folder,
            "SELECT number FROM dossiers WHERE status = 'in_progress' AND sop_number = 68 "
            "AND step_no = 9 ORDER BY received_at DESC LIMIT 1",
        )
        assert waiting
        issued = _sql(folder, "SELECT count(*) FROM permits WHERE number LIKE ?", f"%/{NOW.year}")
        view = loket.dossiers.act(
            _user(loket, Role.KEPALA_DINAS), str(waiting[0][0]), Command(Action.SIGN)
        )
        assert view.record.permit is not None
        assert view.record.permit.number == (
            f"503/{int(str(issued[0][0])) + 1:04d}/IUP-BKL/DPMPTSP-TK/{NOW.year}"
        )
        assert loket.audit.verify(SYSTEM).ok
    finally:
        loket.close()


def _sql(folder: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(folder / DB_FILE_NAME) as connection:
        return connection.execute(query, args).fetchall()


def test_a_second_run_adds_more_without_collisions(tmp_path: Path) -> None:
    loket = _open(tmp_path)
    try:
        first = generate_demo(loket, 80, seed=3, now=NOW)
        second = generate_demo(loket, 60, seed=3, now=NOW)  # same seed: new keys, new numbers
        assert len(first.users_created) == len(DEMO_USERS)
        assert second.users_created == ()
        assert _sql(tmp_path, "SELECT count(*) FROM dossiers") == [(140,)]
        assert _sql(tmp_path, "SELECT count(DISTINCT number) FROM dossiers") == [(140,)]
        assert _sql(tmp_path, "SELECT count(*) FROM users") == [(len(DEMO_USERS),)]
        report = loket.audit.verify(SYSTEM)
        assert report.ok, report.problem
        seqs = [int(str(s)) for (s,) in _sql(tmp_path, "SELECT client_seq FROM outbox ORDER BY 1")]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        loket.close()


def test_same_seed_same_demo_with_or_without_worker_processes(tmp_path: Path) -> None:
    views = []
    for workers in (0, 1):
        folder = tmp_path / f"w{workers}"
        loket = _open(folder)
        try:
            generate_demo(loket, 120, seed=11, now=NOW, workers=workers)
        finally:
            loket.close()
        views.append(
            _sql(
                folder,
                "SELECT d.number, d.status, d.step_no, d.received_at, d.updated_at, "
                "d.permit_number, a.name, a.nik, b.name FROM dossiers d "
                "JOIN applicants a ON a.id = d.applicant_id "
                "LEFT JOIN businesses b ON b.id = d.business_id ORDER BY d.number",
            )
        )
    assert views[0] == views[1]
    assert len(views[0]) == 120


def test_a_demo_folder_opens_at_the_login_and_prints_its_permits(demo: Demo) -> None:
    """As the README walks it: no first-run questions, and a signed permit prints."""
    assert not needs_first_run(demo.loket)
    assert demo.loket.office.office().head_name  # the demo Kepala Dinas signs
    (number,) = demo.sql("SELECT number FROM dossiers WHERE status = 'issued' LIMIT 1")[0]
    pdf = demo.loket.documents.permit(demo.user(Role.FRONT_OFFICE), str(number))
    assert pdf.startswith(b"%PDF")


def test_demo_accounts_sign_in_with_the_demo_password(demo: Demo) -> None:
    for username, role, _full, _nip in DEMO_USERS:
        user = demo.loket.users.authenticate(username, "demo12345")
        assert user.role is role


@pytest.mark.parametrize(
    ("cores", "load", "expected"),
    [(1, 0.0, 0), (2, 0.1, 1), (2, 0.5, 1), (2, 1.0, 0), (2, 2.5, 0), (4, 0.2, 3), (8, 0.0, 3)],
)
def test_worker_processes_only_on_cores_nobody_uses(
    monkeypatch: pytest.MonkeyPatch, cores: int, load: float, expected: int
) -> None:
    from loket.services import demo

    monkeypatch.setattr(demo.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(demo.os, "getloadavg", lambda: (load, load, load))
    assert demo._default_workers(1_000_000) == expected
    assert demo._default_workers(100) == 0


def test_an_office_database_is_refused_unless_forced(tmp_path: Path) -> None:
    """Demo accounts (published password) and back-dated dossiers stay out of real data."""
    from loket.services.desk import Admin, finish_first_run
    from loket.services.office import Office

    loket = open_loket(data_dir=tmp_path, create=True, clock=lambda: NOW)
    try:
        finish_first_run(loket, Office(), Admin("admin", "Admin Kantor", "rahasia-kantor-1"))
        with pytest.raises(InvalidInput, match="milik kantor"):
            generate_demo(loket, 5, now=NOW)
        assert [u.username for u in loket.users.users(SYSTEM)] == ["admin"]
        assert generate_demo(loket, 5, now=NOW, force=True).count == 5
    finally:
        loket.close()
