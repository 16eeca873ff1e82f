"""``loket receipt|return-slip|permit|bap|rejection-letter|register|verify|keys``.

The documents' commands; ``loket permit NUMBER --draft`` previews an unsigned permit.

Each writes the document to ``--out`` (never to a half-written file: the bytes
are made first, then written), and prints warnings (a missing logo) to stderr.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loket.cli.output import write_output
from loket.cli.statuses import parse_status, status_help
from loket.documents import Document, ExportFormat, PageFormat
from loket.documents.signing import Verification
from loket.domain.formatting import long_date, long_datetime
from loket.domain.i18n import _
from loket.services.context import Loket, open_loket
from loket.services.errors import InvalidInput
from loket.services.keys import MAX_VERIFY_INPUT, load_public_key, verify_permit
from loket.services.reports import RegisterQuery
from loket.services.users import SYSTEM

EXIT_OK, EXIT_FAIL = 0, 1
Handler = Callable[[argparse.Namespace], int]


def _open(args: argparse.Namespace) -> Loket:
    return open_loket(args.db, data_dir=args.data_dir)


def _save(args: argparse.Namespace, document: Document) -> int:
    for warning in document.warnings:
        print(_("peringatan: {warning}").format(warning=warning), file=sys.stderr)
    write_output(args.out, document.pdf)
    print(_("Ditulis: {path}").format(path=args.out))
    return EXIT_OK


def _print_document(args: argparse.Namespace, make: Callable[[Loket], Document]) -> int:
    """Open Loket, make one document (audited as a print), close, write it out."""
    loket = _open(args)
    try:
        document = make(loket)
    finally:
        loket.close()
    return _save(args, document)


def cmd_receipt(args: argparse.Namespace) -> int:
    page = PageFormat(args.format)
    return _print_document(
        args, lambda loket: loket.documents.receipt_document(SYSTEM, args.number, page)
    )


def cmd_return_slip(args: argparse.Namespace) -> int:
    return _print_document(
        args, lambda loket: loket.documents.return_slip_document(SYSTEM, args.number)
    )


def cmd_permit(args: argparse.Namespace) -> int:
    def make(loket: Loket) -> Document:
        if args.draft:
            return loket.documents.permit_draft_document(SYSTEM, args.number)
        return loket.documents.permit_document(SYSTEM, args.number)

    return _print_document(args, make)


def cmd_bap(args: argparse.Namespace) -> int:
    return _print_document(
        args, lambda loket: loket.documents.inspection_report_document(SYSTEM, args.number)
    )


def cmd_rejection_letter(args: argparse.Namespace) -> int:
    return _print_document(
        args, lambda loket: loket.documents.rejection_letter_document(SYSTEM, args.number)
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("tanggal harus berbentuk TTTT-BB-HH, misalnya 2026-11-01: {text}").format(text=text)
        ) from None


def cmd_register(args: argparse.Namespace) -> int:
    query = RegisterQuery(start=args.start, end=args.end, sop=args.sop, status=args.status)
    loket = _open(args)
    try:
        data = loket.documents.register(SYSTEM, query, ExportFormat(args.format))
    finally:
        loket.close()
    write_output(args.out, data)
    print(_("Ditulis: {path}").format(path=args.out))
    return EXIT_OK


def _verify_input(value: str) -> bytes | str:
    """A permit PDF's bytes when ``value`` names a file, else ``value`` as the QR code's text.

    A QR code's text is JSON (it starts with ``{``): anything else that is not a
    file is a mistyped file name, and is said to be one.
    """
    path = Path(value)
    if value.lstrip().startswith("{"):
        return value
    try:
        if path.stat().st_size > MAX_VERIFY_INPUT:
            raise InvalidInput(
                _("Berkas {path} terlalu besar untuk sebuah izin.").format(path=path)
            )
        return path.read_bytes()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG):
            raise InvalidInput(
                _("Berkas {path} tidak ada, dan teks itu bukan isi kode QR izin Loket.").format(
                    path=value[:200]
                )
            ) from None
        raise InvalidInput(
            _("Tidak dapat membaca {path}: {error}").format(path=path, error=_read_reason(exc))
        ) from exc


def _read_reason(error: OSError) -> str:
    """Why a file could not be read, in the user's language where it is a common case."""
    if error.errno == errno.EISDIR:
        return _("itu sebuah folder")
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("tidak ada izin membaca berkas itu")
    return error.strerror or str(error)


def _verify(args: argparse.Namespace, data: bytes | str) -> Verification:
    """With ``--key``: only those keys, no data folder or database; else the office's own."""
    if args.keys:
        return verify_permit(data, [load_public_key(path) for path in args.keys])
    loket = _open(args)
    try:
        return loket.documents.verify(data)
    finally:
        loket.close()


def cmd_verify(args: argparse.Namespace) -> int:
    result = _verify(args, _verify_input(args.input))
    stream = sys.stdout if result.authentic else sys.stderr
    print(result.reason, file=stream)
    labels = {
        "number": _("Nomor izin"),
        "holder": _("Pemegang"),
        "business": _("Usaha"),
        "location": _("Lokasi"),
        "sop": _("SOP"),
        "issued": _("Terbit"),
        "valid_until": _("Berlaku s.d."),
        "dossier": _("Nomor berkas"),
        "signer": _("Ditandatangani"),
        "signer_rank": _("Pangkat"),
        "signer_nip": _("NIP"),
    }
    for key, value in result.named_fields().items():
        print(f"  {labels.get(key, key):<14}: {_field_text(key, value)}", file=stream)
    if result.key_id:
        print(_("  Kunci         : {key}").format(key=result.key_id), file=stream)
    return EXIT_OK if result.authentic else EXIT_FAIL


def _field_text(key: str, value: str) -> str:
    """A signed field as the permit prints it: dates in Indonesian, "-" for none."""
    try:
        if key == "issued" and value:
            return long_datetime(datetime.fromisoformat(value))
        if key == "valid_until" and value:
            return long_date(date.fromisoformat(value))
    except ValueError:  # signed by another Loket in another form: shown as it is
        return value
    return value or "-"


def cmd_keys_init(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        info = loket.documents.init_key(SYSTEM)
    finally:
        loket.close()
    message = (
        _("Kunci tanda tangan dibuat: {path}")
        if info.created
        else _("Kunci tanda tangan sudah ada (tidak diganti): {path}")
    )
    print(message.format(path=info.private_path))
    print(_("Kunci publik ({key}): {path}").format(key=info.key_id, path=info.public_path))
    return EXIT_OK


def cmd_keys_export(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        pem = loket.documents.public_key_pem()
    finally:
        loket.close()
    if args.out:
        write_output(args.out, pem)
        print(_("Ditulis: {path}").format(path=args.out))
    else:
        sys.stdout.write(pem.decode("ascii"))
    return EXIT_OK


def _add(sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def add_document_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the documents' subcommands to ``loket``'s subparsers."""
    receipt = _add(sub, "receipt", cmd_receipt, _("cetak tanda terima berkas (PDF)"))
    receipt.add_argument("number", help=_("nomor berkas"))
    receipt.add_argument("--out", type=Path, required=True, help=_("berkas PDF keluaran"))
    receipt.add_argument(
        "--format", choices=[p.value for p in PageFormat], default=PageFormat.A5.value
    )

    slip = _add(sub, "return-slip", cmd_return_slip, _("cetak surat pengembalian berkas (PDF)"))
    slip.add_argument("number", help=_("nomor berkas"))
    slip.add_argument("--out", type=Path, required=True, help=_("berkas PDF keluaran"))

    permit = _add(sub, "permit", cmd_permit, _("cetak izin yang telah terbit (PDF)"))
    permit.add_argument("number", help=_("nomor berkas"))
    permit.add_argument("--out", type=Path, required=True, help=_("berkas PDF keluaran"))
    permit.add_argument(
        "--draft",
        action="store_true",
        help=_("draf izin sebelum ditandatangani (tanpa nomor izin dan kode QR)"),
    )

    bap = _add(sub, "bap", cmd_bap, _("cetak Berita Acara Pemeriksaan lapangan (PDF)"))
    bap.add_argument("number", help=_("nomor berkas"))
    bap.add_argument("--out", type=Path, required=True, help=_("berkas PDF keluaran"))

    letter = _add(
        sub, "rejection-letter", cmd_rejection_letter, _("cetak surat penolakan permohonan (PDF)")
    )
    letter.add_argument("number", help=_("nomor berkas"))
    letter.add_argument("--out", type=Path, required=True, help=_("berkas PDF keluaran"))

    register = _add(sub, "register", cmd_register, _("ekspor buku register berkas"))
    register.add_argument("--from", dest="start", type=_date, help=_("tanggal awal (TTTT-BB-HH)"))
    register.add_argument("--to", dest="end", type=_date, help=_("tanggal akhir (TTTT-BB-HH)"))
    register.add_argument("--sop", type=int)
    register.add_argument("--status", type=parse_status, help=status_help())
    register.add_argument("--format", choices=[f.value for f in ExportFormat], required=True)
    register.add_argument("--out", type=Path, required=True, help=_("berkas keluaran"))

    verify = _add(sub, "verify", cmd_verify, _("periksa keaslian izin (PDF atau isi kode QR)"))
    verify.add_argument("input", help=_("berkas PDF izin atau teks kode QR"))
    verify.add_argument(
        "--key",
        dest="keys",
        type=Path,
        action="append",
        metavar=_("BERKAS"),
        help=_(
            "berkas kunci publik kantor penerbit (hasil 'loket keys export'); dengan opsi ini "
            "tidak perlu folder data atau basis data; boleh diulang untuk beberapa kantor"
        ),
    )

    keys = sub.add_parser("keys", help=_("kunci tanda tangan kantor")).add_subparsers(
        dest="keys_command", required=True, parser_class=parser_class
    )
    _add(keys, "init", cmd_keys_init, _("buat kunci tanda tangan kantor (sekali)"))
    export = _add(keys, "export", cmd_keys_export, _("ekspor kunci publik untuk pemeriksa"))
    export.add_argument("--out", type=Path, help=_("berkas keluaran (bawaan: layar)"))
