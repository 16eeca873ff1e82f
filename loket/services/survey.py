"""The satisfaction survey (*Survei Kepuasan Masyarakat*) of Permenpan RB 14/2017.

Nine elements (*unsur*), each answered 1-4 by the applicant at handover. The
index (IKM) follows the regulation: the mean score of each element over the
respondents (NRR), weighted equally (1/9 each), summed (1-4), then multiplied by
25 to the 25-100 scale, with the service quality letter from its table:
25.00-64.99 D (tidak baik), 65.00-76.60 C (kurang baik), 76.61-88.30 B (baik),
88.31-100.00 A (sangat baik).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from loket.domain.dossier import Status
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.dossiers import DossierService
from loket.services.errors import InvalidInput, WorkflowRefused
from loket.services.users import User, require, to_record
from loket.storage.store import Storage

ELEMENTS = 9
MIN_SCORE, MAX_SCORE = 1, 4
MAX_SUGGESTION = 1000
#: Upper bounds of the converted score (inclusive) for C and B; below 65 is D.
_GRADES = ((Decimal("64.99"), "D"), (Decimal("76.60"), "C"), (Decimal("88.30"), "B"))


def element_names() -> tuple[str, ...]:
    """The nine elements, in the regulation's order (U1-U9)."""
    return (
        _("Persyaratan"),
        _("Sistem, mekanisme, dan prosedur"),
        _("Waktu penyelesaian"),
        _("Biaya/tarif"),
        _("Produk spesifikasi jenis pelayanan"),
        _("Kompetensi pelaksana"),
        _("Perilaku pelaksana"),
        _("Penanganan pengaduan, saran dan masukan"),
        _("Sarana dan prasarana"),
    )


def grade_label(grade: str) -> str:
    labels = {
        "A": _("Sangat baik"),
        "B": _("Baik"),
        "C": _("Kurang baik"),
        "D": _("Tidak baik"),
    }
    return labels.get(grade, "-")


@dataclass(frozen=True, slots=True)
class IkmScore:
    respondents: int
    element_means: tuple[float, ...]  # NRR per element, 1-4
    index: float  # weighted sum, 1-4
    converted: float  # 25-100
    grade: str  # A-D, "" without respondents

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)


def ikm(respondents: int, sums: Sequence[int]) -> IkmScore:
    """The IKM of ``respondents`` whose element scores add up to ``sums`` (per element)."""
    if len(sums) != ELEMENTS:
        raise ValueError("nine element sums are needed")
    if respondents == 0:
        return IkmScore(0, (0.0,) * ELEMENTS, 0.0, 0.0, "")
    means = [Decimal(s) / respondents for s in sums]
    index = sum((m / ELEMENTS for m in means), Decimal(0))
    converted = (index * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade = next((g for bound, g in _GRADES if converted <= bound), "A")
    return IkmScore(
        respondents,
        tuple(float(m) for m in means),
        float(index),
        float(converted),
        grade,
    )


class SurveyService:
    def __init__(
        self, storage: Storage, dossiers: DossierService, clock: Callable[[], datetime]
    ) -> None:
        self._storage = storage
        self._dossiers = dossiers
        self._clock = clock

    def answer(self, actor: User, number: str, scores: Sequence[int], suggestion: str = "") -> None:
        """Record the applicant's answers for dossier ``number``, once, at handover."""
        require(actor, Permission.HAND_OVER)
        if len(scores) != ELEMENTS or not all(
            isinstance(s, int) and MIN_SCORE <= s <= MAX_SCORE for s in scores
        ):
            raise InvalidInput(
                _("Setiap unsur survei harus dijawab dengan nilai 1 sampai 4 (9 unsur).")
            )
        if len(suggestion) > MAX_SUGGESTION:
            raise InvalidInput(
                _("Saran terlalu panjang (paling banyak {limit} karakter).").format(
                    limit=MAX_SUGGESTION
                )
            )
        view = self._dossiers.show(actor, number)
        if view.record.state.status not in (Status.ISSUED, Status.HANDED_OVER):
            raise WorkflowRefused(_("Survei diisi saat penyerahan izin."), "survey.not_handed_over")
        now = self._clock()
        row = {
            "dossier_id": view.record.id,
            "sop_number": view.record.sop_number,
            "answered_at": now,
            "suggestion": suggestion.strip(),
            **{f"u{i}": s for i, s in enumerate(scores, start=1)},
        }
        with self._storage.writing() as store:
            if not store.add_survey(row):
                raise WorkflowRefused(
                    _("Survei untuk berkas {number} sudah diisi.").format(
                        number=view.record.number
                    ),
                    "survey.answered",
                )
            store.audit(
                at=now,
                user=to_record(actor),
                action="survey",
                entity="dossier",
                entity_id=view.record.number,
                before=None,
                after={"scores": list(scores)},
            )

    def score(self, actor: User, start: datetime, end: datetime) -> dict[int | None, IkmScore]:
        """IKM per SOP and (key None) for the whole office, over answers in ``[start, end)``."""
        require(actor, Permission.VIEW_DOSSIERS)
        with self._storage.reading() as store:
            sums = store.survey_sums(start, end)
        result: dict[int | None, IkmScore] = {n: ikm(c, s) for n, (c, s) in sums.items()}
        total = sum(c for c, _s in sums.values())
        overall = [sum(s[i] for _c, s in sums.values()) for i in range(ELEMENTS)]
        result[None] = ikm(total, overall)
        return result
