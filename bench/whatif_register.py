"""What-if: ``DossierService.register`` with the storage changes bench/README.md proposes.

Not Loket code: an experiment that measures how close to its floor a registration
could come. It runs the service's own checks and the real workflow engine, then
writes the same rows as ``Store`` does, but

1. with constant ``insert(table)`` statements and parameters, instead of building
   ``insert(...).values(**row)`` per call (per-value coercion and cache keys);
2. the checklist and the step visits each as one executemany;
3. each counter in one ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` statement;
4. no SAVEPOINT around the dossier insert;
5. the audit head read and moved without the upsert (the row exists);
6. no read-back of the whole dossier (the caller has every value already);
7. the station code and number pattern read once per process.

Run: ``.venv/bin/python bench/whatif_register.py [--count 10000] [--rounds 200]``
(uses the database bench_core.py cached for that count).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.bench_core import (  # noqa: E402
    CACHE,
    Floor,
    demo_user,
    intake,
    open_bench,
    ratio,
    summary,
)
from loket.domain.dossier import ChecklistItem, missing_mandatory  # noqa: E402
from loket.domain.numbering import dossier_counter_name, dossier_pattern  # noqa: E402
from loket.services import dossiers as service  # noqa: E402
from loket.services.context import Loket  # noqa: E402
from loket.services.dossiers import Intake  # noqa: E402
from loket.services.users import User  # noqa: E402
from loket.storage import models  # noqa: E402
from loket.storage.audit import AuditRecord, canonical_json  # noqa: E402
from loket.storage.ids import new_id  # noqa: E402
from loket.storage.store import name_key  # noqa: E402
from loket.workflow import Acting, start  # noqa: E402

INCREMENT = text(
    "INSERT INTO counters (name, value) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
)
HEAD = text("SELECT seq, hash FROM audit_head WHERE id = 1")
MOVE_HEAD = text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
INSERTS = {
    m: insert(m)
    for m in (
        models.Applicant,
        models.Business,
        models.Dossier,
        models.ChecklistItem,
        models.StepVisit,
        models.AuditEntry,
        models.OutboxEntry,
    )
}


class FastRegister:
    def __init__(self, loket: Loket) -> None:
        self.loket = loket
        svc = loket.dossiers
        self.svc = svc
        self.snapshots: set[tuple[int, int]] = set()
        with loket.storage.reading() as store:
            identity = store.identity()
            self.station = identity.station_code if identity else "FO1"
            self.pattern = dossier_pattern(
                store.setting("dossier_number_pattern") or service.DEFAULT_DOSSIER_PATTERN
            )

    def register(self, actor: User, intake: Intake) -> str:
        svc = self.svc
        sop = svc._sop(intake.sop_number)
        problems = service._intake_problems(intake)
        service._refuse(problems)
        applicant = service._clean(intake.applicant)
        business = service._clean_business(intake.business) if intake.business else None
        now = self.loket.clock()
        service._check_times(intake, now)
        started = intake.started_at or now
        acting = Acting(actor.id, actor.role)
        checklist = tuple(
            ChecklistItem(r.key, r.name, r.mandatory, r.key in intake.received)
            for r in sop.requirements_for(applicant.kind)
        )
        state, walked = svc._walk(sop, start(sop, actor=acting, now=started), intake, acting)
        if missing_mandatory(checklist):
            raise AssertionError("the experiment registers complete files only")
        local = started.astimezone(self.loket.calendar.tz)
        with self.loket.storage.writing() as store:
            c = store._c
            if (sop.number, sop.version) not in self.snapshots:  # as register() caches it
                svc._ensure_snapshot(store, sop, now)
                self.snapshots.add((sop.number, sop.version))
            counter = dossier_counter_name(sop.key, local.year, self.station)
            seq = c.execute(INCREMENT, {"name": counter}).scalar_one()
            number = self.pattern.render(
                sop=sop.key, year=local.year, station=self.station, seq=seq, month=local.month
            )
            applicant_id, business_id, dossier_id = new_id(), new_id(), new_id()
            address = applicant.address
            c.execute(
                INSERTS[models.Applicant],
                {
                    "id": applicant_id,
                    "kind": applicant.kind.value,
                    "name": applicant.name,
                    "name_key": name_key(applicant.name),
                    "nik": applicant.nik,
                    "nib": applicant.nib,
                    "npwp": applicant.npwp,
                    "phone": applicant.phone,
                    "email": applicant.email,
                    "representative": applicant.representative,
                    "created_at": now,
                    "street": address.street,
                    "desa": address.desa,
                    "kecamatan": address.kecamatan,
                    "kabupaten": address.kabupaten,
                    "province": address.province,
                },
            )
            if business:
                where = business.address
                c.execute(
                    INSERTS[models.Business],
                    {
                        "id": business_id,
                        "applicant_id": applicant_id,
                        "name": business.name,
                        "kbli": business.kbli,
                        "kbli_edition": business.kbli_edition,
                        "street": where.street,
                        "desa": where.desa,
                        "kecamatan": where.kecamatan,
                        "kabupaten": where.kabupaten,
                        "province": where.province,
                    },
                )
            c.execute(
                INSERTS[models.Dossier],
                {
                    "id": dossier_id,
                    "number": number,
                    "sop_number": sop.number,
                    "sop_version": sop.version,
                    "applicant_id": applicant_id,
                    "business_id": business_id if business else None,
                    "status": state.status.value,
                    "step_no": state.step_no,
                    "received_at": started,
                    "station_code": self.station,
                    "sicantik_no": walked.get("sicantik_no", ""),
                    "oss_nib": walked.get("oss_nib", ""),
                    "permit_number": None,
                    "version": state.version,
                    "created_by": actor.id,
                    "updated_at": started,
                },
            )
            c.execute(
                INSERTS[models.ChecklistItem],
                [
                    {
                        "dossier_id": dossier_id,
                        "requirement_key": item.key,
                        "position": i,
                        "name": item.name,
                        "mandatory": item.mandatory,
                        "received": item.received,
                        "note": item.note,
                    }
                    for i, item in enumerate(checklist)
                ],
            )
            c.execute(
                INSERTS[models.StepVisit],
                [
                    {
                        "id": new_id(),
                        "dossier_id": dossier_id,
                        "seq": i,
                        "step_no": v.step_no,
                        "started_at": v.started_at,
                        "finished_at": v.finished_at,
                        "user_id": v.user_id,
                        "role": v.role,
                        "outcome": v.outcome.value if v.outcome else None,
                        "reason": v.reason,
                        "data": json.dumps(dict(v.data), ensure_ascii=False),
                    }
                    for i, v in enumerate(state.visits, start=1)
                ],
            )
            after = {
                "number": number,
                "sop": sop.number,
                "sop_version": sop.version,
                "applicant": applicant.name,
                "received": sorted(intake.received),
                "status": state.status.value,
                "step": state.step_no,
                "version": state.version,
            }
            head = c.execute(HEAD).first()
            last_seq, last_hash = (int(head[0]), str(head[1])) if head else (0, "0" * 64)
            record = AuditRecord(
                last_seq + 1,
                new_id(),
                now.astimezone(UTC),
                actor.id,
                actor.username,
                actor.role.value,
                "register",
                "dossier",
                number,
                "{}",
                canonical_json(after),
                last_hash,
            )
            digest = record.compute_hash()
            values: dict[str, Any] = {
                name: getattr(record, name) for name in AuditRecord.__slots__ if name != "hash"
            }
            c.execute(INSERTS[models.AuditEntry], {**values, "hash": digest})
            c.execute(MOVE_HEAD, {"seq": record.seq, "hash": digest})
            client_seq = c.execute(INCREMENT, {"name": "outbox"}).scalar_one()
            c.execute(
                INSERTS[models.OutboxEntry],
                {
                    "op_id": new_id(),
                    "client_seq": client_seq,
                    "tx_id": store.tx_id,
                    "command": "register",
                    "entity": "dossier",
                    "entity_id": dossier_id,
                    "base_version": 0,
                    "payload": canonical_json(
                        {**after, "applicant_id": applicant_id, "business_id": business_id}
                    ),
                    "created_at": now,
                },
            )
        return number


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    path = CACHE / f"bench-{args.count}.sqlite3"
    if not path.exists():
        raise SystemExit(f"{path} missing: run bench/bench_core.py --count {args.count} first")
    rng = random.Random(7)
    loket = open_bench(path)
    try:
        clerk = demo_user(loket, "front_office")
        fast = FastRegister(loket)
        floor = Floor(path, loket, clerk)
        times: dict[str, list[float]] = {"service": [], "what-if": [], "floor": []}

        def once(kind: str) -> float:
            if kind == "floor":
                row = floor.prepare(rng)
                start = time.perf_counter()
                floor.register(row)
            else:
                request = intake(loket, rng)
                start = time.perf_counter()
                if kind == "service":
                    loket.dossiers.register(clerk, request)
                else:
                    fast.register(clerk, request)
            return time.perf_counter() - start

        for kind in times:
            for _ in range(10):
                once(kind)
        for _ in range(args.rounds):
            order = list(times)
            rng.shuffle(order)
            for kind in order:
                times[kind].append(once(kind))
        floor.connection.close()
        assert loket.audit.verify(demo_user(loket, "admin")).ok
    finally:
        loket.close()
    stats = {kind: summary(samples) for kind, samples in times.items()}
    for kind, s in stats.items():
        vs = ratio(s, stats["floor"])
        print(
            f"{kind:<9} p50 {s['p50_ms']:6.2f} ms  p95 {s['p95_ms']:6.2f} ms   "
            f"x floor: p50 {vs['p50']:.2f}  p95 {vs['p95']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
