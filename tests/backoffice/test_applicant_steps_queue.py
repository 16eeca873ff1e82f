"""The applicant's own steps are in no worklist: a dossier waiting on the applicant is not work."""

from __future__ import annotations

from loket.domain.roles import Role
from loket.domain.sop import Actor
from loket.services.context import Loket
from loket.services.users import User
from loket.services.worklists import queue_role, role_of
from tests.backoffice.support import walk_to
from tests.services.support import FakeClock, register


def test_queue_role_leaves_out_exactly_the_applicants_steps(loket: Loket) -> None:
    for sop in loket.catalog.latest():
        for step in sop.steps:
            if step.actor is Actor.PEMOHON:
                assert queue_role(step) is None
                assert role_of(step) is Role.FRONT_OFFICE  # still recorded at the counter
            else:
                assert queue_role(step) is role_of(step) is not None


def test_the_counters_queue_and_counts_leave_out_the_applicants_steps(
    loket: Loket, staff: dict[Role, User], clock: FakeClock
) -> None:
    counter, worklists = staff[Role.FRONT_OFFICE], loket.back_office.worklists
    waiting = register(loket, staff, 76)  # step 1: the applicant brings the files
    assert waiting.sop.step(waiting.record.state.step_no).actor is Actor.PEMOHON
    clock.advance(days=2)  # far past that step's standard: still not the clerk's lateness
    assert worklists.rows(counter) == []
    assert Role.FRONT_OFFICE not in worklists.counts(counter)
    assert loket.back_office.clocks.overdue_by_role(counter) == {}
    at_counter = walk_to(loket, staff, register(loket, staff, 68), clock, 4)
    rows = worklists.rows(counter)
    assert [(r.number, r.step_no) for r in rows] == [(at_counter.record.number, 4)]
    assert worklists.counts(counter)[Role.FRONT_OFFICE].total == 1
    # Recording the applicant's step stays the counter's: the clerk may still claim it.
    assert loket.back_office.claims.claim(counter, waiting.record.number).user_id == counter.id
