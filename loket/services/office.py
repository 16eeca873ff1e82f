"""The office's identity: what the letterheads, the permit's signature block and
the first-run screen share.

It lives in the database's settings (key ``office``), so every PC of an office
prints the same letterhead; the station code stays per PC in the identity row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from loket.documents import logo_is_readable
from loket.domain.i18n import _
from loket.domain.roles import Permission
from loket.services.errors import InvalidInput
from loket.services.users import User, ensure_recorded, require, to_record
from loket.storage.store import Storage

SETTING = "office"
MAX_FIELD = 300


@dataclass(frozen=True)
class Office:
    """Letterhead and signer. Defaults are DPMPTSP-TK Landak's own (from shared notes)."""

    government: str = "PEMERINTAH KABUPATEN LANDAK"
    name: str = "DINAS PENANAMAN MODAL, PELAYANAN TERPADU SATU PINTU DAN TENAGA KERJA"
    short_name: str = "DPMPTSP-TK"
    address: str = "Jl. Ngabang–Sanggau, Desa Tebedak, Kecamatan Ngabang"
    phone: str = "(0563) 21618"
    email: str = "dpmptsptk@landakkab.go.id"
    city: str = "Ngabang"
    # Path of the logo image; a missing file prints without it (with a warning).
    logo_path: str = ""
    head_title: str = "KEPALA DINAS"
    head_name: str = ""
    head_rank: str = ""
    head_nip: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Office:
        """Unknown keys are ignored so an older Loket reads a newer office setting."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in (data or {}).items() if k in known})


#: How the office's own words name each part of its identity (``loket office show``).
OFFICE_LABELS: dict[str, Callable[[], str]] = {
    "government": lambda: _("Pemerintah daerah"),
    "name": lambda: _("Nama kantor"),
    "short_name": lambda: _("Singkatan"),
    "address": lambda: _("Alamat"),
    "phone": lambda: _("Telepon"),
    "email": lambda: _("E-mail"),
    "city": lambda: _("Kota (tempat surat)"),
    "logo_path": lambda: _("Logo"),
    "head_title": lambda: _("Jabatan kepala"),
    "head_name": lambda: _("Nama kepala"),
    "head_rank": lambda: _("Pangkat kepala"),
    "head_nip": lambda: _("NIP kepala"),
}


def _cleaned(office: Office) -> Office:
    values = {}
    for field in fields(office):
        text = " ".join(str(getattr(office, field.name)).split())
        if len(text) > MAX_FIELD:
            raise InvalidInput(
                _("Isian {field} terlalu panjang (paling banyak {limit} karakter).").format(
                    field=field.name, limit=MAX_FIELD
                )
            )
        values[field.name] = text
    if not values["name"]:
        raise InvalidInput(_("Nama kantor wajib diisi."))
    nip = values["head_nip"].replace(" ", "")
    if nip and not (nip.isdigit() and len(nip) == 18):
        raise InvalidInput(_("NIP kepala kantor harus 18 angka."))
    values["head_nip"] = nip
    if values["logo_path"]:
        # Stored whole, so that it still names the file when Loket runs from elsewhere.
        logo = Path(values["logo_path"]).expanduser().absolute()
        if not logo_is_readable(logo):
            raise InvalidInput(
                _("Logo {path} tidak ditemukan atau bukan gambar PNG/JPEG yang terbaca.").format(
                    path=logo
                )
            )
        values["logo_path"] = str(logo)
    return replace(office, **values)


class OfficeService:
    def __init__(self, storage: Storage, clock: Callable[[], datetime]) -> None:
        self._storage = storage
        self._clock = clock

    def office(self) -> Office:
        with self._storage.reading() as store:
            return Office.from_json(store.setting(SETTING))

    def is_configured(self) -> bool:
        """Whether the first-run questions were answered on this database."""
        with self._storage.reading() as store:
            return store.setting(SETTING) is not None

    def save(self, actor: User, office: Office) -> Office:
        """Store the identity, audited; refuses bad input in Indonesian."""
        require(actor, Permission.MANAGE_SETTINGS)
        office = _cleaned(office)
        now = self._clock()
        with self._storage.writing() as store:
            before = store.setting(SETTING)
            ensure_recorded(store, actor, now)
            store.put_setting(SETTING, office.to_json())
            store.audit(
                at=now,
                user=to_record(actor),
                action="office_update",
                entity="setting",
                entity_id=SETTING,
                before=before,
                after=office.to_json(),
            )
        return office
