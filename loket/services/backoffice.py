"""The back office's services, built together (one field of :class:`~loket.services.context.Loket`).

They share one :class:`~loket.services.worklists.SopBook` (SOP versions by
number) and are wired here so that the composition root adds a single line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loket.catalog import Catalog
from loket.domain.calendar import WorkingCalendar
from loket.services.attachments import AttachmentService
from loket.services.claims import ClaimService
from loket.services.clocks import ClockService
from loket.services.dashboard import DashboardService
from loket.services.dossiers import DossierService
from loket.services.expiry import ExpiryService
from loket.services.inspections import InspectionService
from loket.services.keys import KeyStore
from loket.services.monthly import MonthlyService
from loket.services.office import OfficeService
from loket.services.permit_seal import PermitSeal
from loket.services.sla import SlaService
from loket.services.steps import StepService
from loket.services.survey import SurveyService
from loket.services.worklists import WorklistService
from loket.storage.store import Storage


@dataclass
class BackOffice:
    worklists: WorklistService
    claims: ClaimService
    steps: StepService
    clocks: ClockService
    sla: SlaService
    monthly: MonthlyService
    dashboard: DashboardService
    survey: SurveyService
    expiry: ExpiryService
    attachments: AttachmentService
    inspections: InspectionService


def build_back_office(
    storage: Storage,
    catalog: Catalog,
    calendar: WorkingCalendar,
    clock: Callable[[], datetime],
    data_dir: Path,
) -> BackOffice:
    seal = PermitSeal(KeyStore(data_dir), OfficeService(storage, clock).office)
    dossiers = DossierService(storage, catalog, calendar, clock, seal)
    worklists = WorklistService(storage, catalog, calendar, clock)
    claims = ClaimService(storage, worklists.sops, clock)
    sla = SlaService(storage, worklists.sops, calendar, clock)
    survey = SurveyService(storage, dossiers, clock)
    return BackOffice(
        worklists=worklists,
        claims=claims,
        steps=StepService(storage, dossiers),
        clocks=ClockService(storage, worklists, clock),
        sla=sla,
        monthly=MonthlyService(storage, worklists.sops, calendar, sla, survey, clock),
        dashboard=DashboardService(storage, worklists, sla, calendar, clock),
        survey=survey,
        expiry=ExpiryService(storage, catalog, calendar, clock),
        attachments=AttachmentService(storage, dossiers, data_dir, clock),
        inspections=InspectionService(storage, dossiers, clock),
    )
