"""Fixtures of the back-office tests: the service tests' Loket with one user per role."""

from __future__ import annotations

from tests.services.conftest import clock, loket, make_loket, staff, staffed_db, template_db

__all__ = ["clock", "loket", "make_loket", "staff", "staffed_db", "template_db"]
