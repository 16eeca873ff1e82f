"""`loket office show|set`: the office's identity from the command line.

The first-run screen asks for it once; the office's IT person also needs to set
or correct it on a database made with `loket init`, and later (a new head of
office, a new logo) without the desktop.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import fields, replace
from typing import Any

from loket.domain.i18n import _
from loket.services.context import open_loket
from loket.services.office import OFFICE_LABELS, Office
from loket.services.users import SYSTEM


def cmd_office_show(args: argparse.Namespace) -> int:
    loket = open_loket(args.db, data_dir=args.data_dir)
    try:
        office, configured = loket.office.office(), loket.office.is_configured()
    finally:
        loket.close()
    if args.json:
        print(json.dumps({**office.to_json(), "configured": configured}, ensure_ascii=False))
        return 0
    if not configured:
        print(_("Identitas kantor belum diisi; yang tampil adalah nilai bawaan."))
    labels = {field.name: OFFICE_LABELS[field.name]() for field in fields(Office)}
    width = max(len(label) for label in labels.values())
    for name, label in labels.items():
        print(f"{label:>{width}}: {getattr(office, name) or '—'}")
    return 0


def cmd_office_set(args: argparse.Namespace) -> int:
    names = [field.name for field in fields(Office)]
    changes = {key: getattr(args, key) for key in names if getattr(args, key) is not None}
    if not changes:
        print(_("Tidak ada yang diubah: sebutkan paling sedikit satu isian, misalnya --head-name."))
        return 2
    loket = open_loket(args.db, data_dir=args.data_dir)
    try:
        saved = loket.office.save(SYSTEM, replace(loket.office.office(), **changes))
    finally:
        loket.close()
    print(_("Identitas kantor disimpan: {name}.").format(name=saved.name))
    return 0


def add_office_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    office = sub.add_parser("office", help=_("identitas kantor (kop surat, penanda tangan)"))
    commands = office.add_subparsers(
        dest="office_command", required=True, parser_class=parser_class
    )
    show = commands.add_parser("show", help=_("tampilkan identitas kantor"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_office_show)
    change = commands.add_parser("set", help=_("ubah identitas kantor (tercatat di log audit)"))
    for field in fields(Office):  # one option per field: --name, --head-name, --logo-path, ...
        change.add_argument("--" + field.name.replace("_", "-"), dest=field.name, default=None)
    change.set_defaults(handler=cmd_office_set)
