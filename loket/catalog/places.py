"""Kabupaten Landak's kecamatan and desa, for the counter's address lists.

The places are reference data (``data/reference/landak.toml``), not code: the
office completes the desa lists from the official Kemendagri list without a new
release. A list known to be partial says so (``desa_complete = false``), and the
form always accepts a desa or an address that is not on the list: applicants
come from outside Landak too.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loket.domain.i18n import _

PACKAGED_PLACES = Path(__file__).resolve().parents[2] / "data" / "reference" / "landak.toml"
SCHEMA = 1


class PlacesError(ValueError):
    """A places file that cannot be read; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Kecamatan:
    code: str  # Kemendagri code, e.g. 61.08.01
    name: str
    desa: tuple[str, ...]
    desa_complete: bool


@dataclass(frozen=True, slots=True)
class Regency:
    code: str
    name: str
    province: str
    kecamatan: tuple[Kecamatan, ...]
    source: str = ""

    @property
    def complete(self) -> bool:
        """Whether every kecamatan's desa list is the whole official list."""
        return all(k.desa_complete for k in self.kecamatan)

    def kecamatan_names(self) -> list[str]:
        return [k.name for k in self.kecamatan]

    def find(self, name: str) -> Kecamatan | None:
        """A kecamatan by name as typed (case and spacing do not matter)."""
        wanted = " ".join(name.split()).casefold()
        return next((k for k in self.kecamatan if k.name.casefold() == wanted), None)

    def desa_of(self, kecamatan: str) -> tuple[str, ...]:
        found = self.find(kecamatan)
        return found.desa if found else ()

    def by_code(self, code: str) -> Kecamatan | None:
        """The kecamatan of a district code such as ``61.08.01`` or ``610801``."""
        digits = code.replace(".", "")
        return next((k for k in self.kecamatan if k.code.replace(".", "") == digits), None)


def _fail(path: Path, message: str) -> PlacesError:
    return PlacesError(_("{path}: {message}").format(path=path, message=message))


def _text(path: Path, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, _("isian '{key}' wajib berupa teks.").format(key=key))
    return value.strip()


def _kecamatan(path: Path, table: Any) -> Kecamatan:
    if not isinstance(table, dict):
        raise _fail(path, _("setiap [[kecamatan]] harus berupa tabel."))
    desa = table.get("desa", [])
    if not isinstance(desa, list) or not all(isinstance(d, str) and d.strip() for d in desa):
        raise _fail(path, _("'desa' harus berupa daftar nama."))
    complete = table.get("desa_complete", False)
    if not isinstance(complete, bool):
        raise _fail(path, _("'desa_complete' harus true atau false."))
    return Kecamatan(
        code=_text(path, table, "code"),
        name=_text(path, table, "name"),
        desa=tuple(sorted({d.strip() for d in desa}, key=str.casefold)),
        desa_complete=complete,
    )


def load_places(path: Path = PACKAGED_PLACES) -> Regency:
    """Read and check a places file; raises :class:`PlacesError` naming what is wrong."""
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path, str(exc)) from exc
    if document.get("schema") != SCHEMA:
        raise _fail(path, _("versi skema tidak dikenal (harus {schema}).").format(schema=SCHEMA))
    rows = document.get("kecamatan")
    if not isinstance(rows, list) or not rows:
        raise _fail(path, _("daftar [[kecamatan]] kosong."))
    kecamatan = tuple(_kecamatan(path, row) for row in rows)
    codes = [k.code for k in kecamatan]
    names = [k.name.casefold() for k in kecamatan]
    if len(set(codes)) != len(codes) or len(set(names)) != len(names):
        raise _fail(path, _("kode atau nama kecamatan ganda."))
    return Regency(
        code=_text(path, document, "regency_code"),
        name=_text(path, document, "regency"),
        province=_text(path, document, "province"),
        kecamatan=kecamatan,
        source=str(document.get("source", "")),
    )
