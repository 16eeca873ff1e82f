"""``loket``: the command line.

Every command prints what a person needs, or JSON with ``--json`` for scripts.
Problems go to stderr in the office's language with a non-zero exit code:
1 for a refusal or a failed check, 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from loket import __version__
from loket.catalog import Catalog, CatalogError, SopFileError, default_sop_dirs
from loket.cli.desktop import DesktopMissing, find_desktop
from loket.cli.documents import add_document_commands
from loket.cli.office import add_office_commands
from loket.cli.parser import Parser
from loket.cli.reports import add_report_commands
from loket.cli.statuses import parse_status, status_help
from loket.cli.worklist import add_worklist_command
from loket.documents import TemplateError
from loket.domain.dossier import Status
from loket.domain.i18n import LANGUAGES, _, set_language
from loket.domain.numbering import PatternError
from loket.domain.roles import Role
from loket.domain.sop import Actor, Sop, TimeStandard, TimeUnit
from loket.services.context import Loket, initialise, open_loket
from loket.services.errors import ServiceError
from loket.services.users import SYSTEM
from loket.storage.database import Database, StorageError, default_data_dir, resolve_url

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A refusal to print as it is, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _actor_label(actor: Actor) -> str:
    """Who does a step, as the office says it (the applicant is no user role)."""
    return _("Pemohon") if actor is Actor.PEMOHON else Role(actor.value).label


def _time_text(standard: TimeStandard) -> str:
    units = {TimeUnit.MINUTE: _("menit"), TimeUnit.HOUR: _("jam"), TimeUnit.DAY: _("hari kerja")}
    return f"{standard.amount} {units[standard.unit]}"


# --- commands that need no database ------------------------------------------------------


def _catalog(args: argparse.Namespace) -> Catalog:
    return Catalog.from_dirs(default_sop_dirs(args.data_dir or default_data_dir()))


def cmd_sop_list(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    sops = catalog.latest()
    if args.json:
        _print_json(
            [
                {"number": s.number, "version": s.version, "name": s.name, "steps": len(s.steps)}
                for s in sops
            ]
        )
        return EXIT_OK
    for sop in sops:
        print(
            _("SOP {number:>3}  v{version}  {name}  ({steps} langkah, {time})").format(
                number=sop.number,
                version=sop.version,
                name=sop.name,
                steps=len(sop.steps),
                time=_time_text(sop.service_time),
            )
        )
    return EXIT_OK


def _sop_text(sop: Sop) -> list[str]:
    inferred = _(" [disimpulkan]")
    lines = [
        _("SOP {number} — {name} (versi {version})").format(
            number=sop.number, name=sop.name, version=sop.version
        ),
        _("Instansi       : {value}").format(value=sop.agency),
        _("Disahkan oleh  : {value}").format(value=sop.approved_by or "-"),
        _("Waktu layanan  : {value}").format(value=_time_text(sop.service_time)),
        _("Biaya          : {value}").format(value=sop.cost),
        _("Output         : {value}").format(value=sop.output),
        _("Izin           : {title} (kode {code})").format(
            title=sop.permit.title, code=sop.permit.code
        ),
        "",
        _("Dasar hukum:"),
        *(f"  {i}. {text}" for i, text in enumerate(sop.legal_basis, 1)),
        _("Kualifikasi pelaksana:"),
        *(f"  {i}. {text}" for i, text in enumerate(sop.qualifications, 1)),
        _("Keterkaitan: {value}").format(value="; ".join(sop.related) or "-"),
        _("Peralatan/perlengkapan: {value}").format(value="; ".join(sop.equipment) or "-"),
        _("Pencatatan dan pendataan: {value}").format(value="; ".join(sop.recording) or "-"),
        "",
        _("Persyaratan:"),
    ]
    for item in sop.requirements:
        flag = _("wajib") if item.mandatory else _("opsional")
        lines.append(f"  [{flag}] {item.name}{inferred if item.inferred else ''}")
    lines += ["", _("Langkah:")]
    for step in sop.steps:
        seed = "" if step.seed_no in (None, step.no) else _(" (seed: {n})").format(n=step.seed_no)
        mark = inferred if step.inferred else ""
        lines.append(f"  {step.no:>2}{seed}. {step.activity}{mark}")
        lines.append(
            _("      pelaksana: {actor}; kelengkapan: {req}; waktu: {time}; output: {out}").format(
                actor=_actor_label(step.actor),
                req=step.requirement or "-",
                time=_time_text(step.time),
                out=step.output or "-",
            )
        )
        if step.inferred_parts:
            lines.append(
                _("      bagian disimpulkan: {parts}").format(parts=", ".join(step.inferred_parts))
            )
        if step.note:
            lines.append(_("      catatan: {note}").format(note=step.note))
    if sop.notes:
        lines += ["", _("Catatan data:"), *(f"  - {note}" for note in sop.notes)]
    return lines


def cmd_sop_show(args: argparse.Namespace) -> int:
    sop = _catalog(args).get(args.number)
    if args.json:
        _print_json(sop.to_json())
    else:
        print("\n".join(_sop_text(sop)))
    return EXIT_OK


def cmd_sop_check(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            sop = Catalog.from_files([Path(path)]).latest()[0]
        except SopFileError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
        else:
            print(
                _("{path}: baik (SOP {number} v{version}, {steps} langkah)").format(
                    path=path, number=sop.number, version=sop.version, steps=len(sop.steps)
                )
            )
    return EXIT_FAIL if failed else EXIT_OK


# --- commands on the database ------------------------------------------------------------


def _open(args: argparse.Namespace) -> Loket:
    return open_loket(args.db, data_dir=args.data_dir)


def cmd_init(args: argparse.Namespace) -> int:
    database = Database(resolve_url(args.db, args.data_dir))
    try:
        changed = initialise(database, station_code=args.station, clock=_now)
    finally:
        database.dispose()
    if not args.quiet:
        message = _("Basis data siap: {url}") if changed else _("Basis data sudah siap: {url}")
        print(message.format(url=database.url))
    return EXIT_OK


def _now() -> Any:
    from loket.services.context import system_clock

    return system_clock()


def cmd_status(args: argparse.Namespace) -> int:
    from loket.services.status import status

    loket = _open(args)
    try:
        info = status(loket)
    finally:
        loket.close()
    if args.json:
        _print_json(info)
        return EXIT_OK
    print(_("Loket {version}").format(version=__version__))
    print(_("Basis data : {url} (skema {revision})").format(**info["database"]))
    print(_("Stasiun    : {station} (perangkat {device})").format(**info["identity"]))
    print(_("Pengguna   : {n}").format(n=info["users"]))
    print(_("SOP        : {n}").format(n=len(info["sops"])))
    for sop in info["sops"]:
        print(f"  SOP {sop['number']:>3} v{sop['version']}  {sop['name']}")
    print(_("Berkas     : {n}").format(n=info["dossiers"]["total"]))
    for status_name, count in info["dossiers"]["by_status"].items():
        print(f"  {_status_label(status_name):<22} {count}")
    return EXIT_OK


def _status_label(code: str) -> str:
    """The desktop's label of a stored status code (the code itself if this Loket lacks it)."""
    try:
        return Status(code).label
    except ValueError:
        return code


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError(_("Tidak ada terminal untuk menanyakan kata sandi; pakai --password-stdin."))
    first = getpass.getpass(_("Kata sandi: "))
    if first != getpass.getpass(_("Ulangi kata sandi: ")):
        raise CliError(_("Kedua kata sandi tidak sama."))
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        user = loket.users.add_user(
            SYSTEM,
            username=args.username,
            full_name=args.name,
            role=Role(args.role),
            password=_read_password(args),
            nip=args.nip,
        )
    finally:
        loket.close()
    print(
        _("Pengguna {username} ({role}) ditambahkan.").format(
            username=user.username, role=user.role.label
        )
    )
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        users = loket.users.users(SYSTEM)
    finally:
        loket.close()
    if args.json:
        _print_json(
            [{"username": u.username, "name": u.full_name, "role": u.role.value} for u in users]
        )
        return EXIT_OK
    for user in users:
        print(f"{user.username:<20} {user.role.label:<16} {user.full_name}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from loket.services.demo import generate_demo

    if args.count < 1 or args.count > 5_000_000:
        raise CliError(_("--count harus antara 1 dan 5.000.000."), EXIT_USAGE)
    loket = open_loket(args.db, data_dir=args.data_dir, create=True)
    try:
        report = generate_demo(loket, args.count, seed=args.seed, force=args.force)
    finally:
        loket.close()
    print(_("{n} berkas demo dibuat.").format(n=report.count))
    return EXIT_OK


def cmd_dossier_list(args: argparse.Namespace) -> int:
    from loket.services.reports import dossier_rows

    loket = _open(args)
    try:
        rows = dossier_rows(
            loket,
            state=args.state.value if args.state else None,
            sop=args.sop,
            query=args.search,
            limit=args.limit,
        )
    finally:
        loket.close()
    if len(rows) >= args.limit:  # perhaps more: the list is cut, not the office's work
        print(
            _("Hanya {n} berkas pertama yang ditampilkan; pakai --limit untuk lebih.").format(
                n=len(rows)
            ),
            file=sys.stderr,
        )
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print(_("Tidak ada berkas."))
    step_word = _("langkah")
    for row in rows:
        print(
            f"{row['number']:<24} {row['received_local']:<17} SOP {row['sop']:<4} "
            f"{step_word} {row['step']:<3} {row['status_label']:<20} {row['applicant']}"
        )
    return EXIT_OK


def cmd_dossier_show(args: argparse.Namespace) -> int:
    from loket.services.reports import dossier_detail, dossier_detail_text

    loket = _open(args)
    try:
        detail = dossier_detail(loket, args.number)
    finally:
        loket.close()
    if args.json:
        _print_json(detail)
    else:
        print("\n".join(dossier_detail_text(detail)))
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    loket = _open(args)
    try:
        report = loket.audit.verify(SYSTEM)
    finally:
        loket.close()
    if report.problem is not None:
        print(report.problem.message, file=sys.stderr)
        return EXIT_FAIL
    print(_("Rantai audit utuh: {n} entri diperiksa.").format(n=report.checked))
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    """Hand over to the desktop app, passing on the options it shares with the CLI."""
    try:
        run = find_desktop()
    except DesktopMissing:
        raise CliError(
            _("Aplikasi desktop tidak terpasang. Pasang Loket lengkap (make install)."),
            EXIT_FAIL,
        ) from None
    forwarded: list[str] = []
    if args.db:
        forwarded += ["--db", args.db]
    if args.data_dir:
        forwarded += ["--data-dir", str(args.data_dir)]
    if args.lang:
        forwarded += ["--lang", args.lang]
    if args.smoke_test:
        forwarded.append("--smoke-test")
    return int(run(forwarded))


# --- the parser ---------------------------------------------------------------------------


def _add(
    sub: Any, name: str, handler: Callable[[argparse.Namespace], int], help_text: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        action="version",
        version=f"loket {__version__}",
        help=_("tampilkan versi program lalu keluar"),
    )
    parser.add_argument(
        "--db", help=_("alamat basis data (URL SQLAlchemy atau path berkas SQLite)")
    )
    parser.add_argument("--data-dir", type=Path, help=_("folder data pengguna"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("bahasa keluaran"))
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("buka setiap layar utama aplikasi desktop pada basis data sementara, lalu keluar"),
    )


def _add_user_commands(sub: Any) -> None:
    user = sub.add_parser("user", help=_("pengguna")).add_subparsers(
        dest="user_command", required=True, parser_class=Parser
    )
    add = _add(user, "add", cmd_user_add, _("tambah pengguna"))
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", required=True, help=_("nama lengkap"))
    add.add_argument("--nip", default="")
    add.add_argument("--password-stdin", action="store_true", help=_("baca kata sandi dari stdin"))
    users = _add(user, "list", cmd_user_list, _("daftar pengguna"))
    users.add_argument("--json", action="store_true")


def _add_dossier_commands(sub: Any) -> None:
    dossier = sub.add_parser("dossier", help=_("berkas permohonan")).add_subparsers(
        dest="dossier_command", required=True, parser_class=Parser
    )
    listing = _add(dossier, "list", cmd_dossier_list, _("daftar berkas"))
    listing.add_argument("--state", type=parse_status, help=status_help())
    listing.add_argument("--sop", type=int)
    listing.add_argument("--search", default="", help=_("nomor, NIK/NIB atau awal nama"))
    listing.add_argument(
        "--limit", type=int, default=100, help=_("paling banyak berkas yang ditampilkan (100)")
    )
    listing.add_argument("--json", action="store_true")
    show = _add(dossier, "show", cmd_dossier_show, _("rincian satu berkas"))
    show.add_argument("number")
    show.add_argument("--json", action="store_true")


def _add_sop_commands(sub: Any) -> None:
    sop = sub.add_parser("sop", help=_("katalog SOP")).add_subparsers(
        dest="sop_command", required=True, parser_class=Parser
    )
    sop_list = _add(sop, "list", cmd_sop_list, _("daftar SOP"))
    sop_list.add_argument("--json", action="store_true")
    sop_show = _add(sop, "show", cmd_sop_show, _("rincian satu SOP"))
    sop_show.add_argument("number", type=int)
    sop_show.add_argument("--json", action="store_true")
    check = _add(sop, "check", cmd_sop_check, _("periksa berkas SOP"))
    check.add_argument("paths", nargs="+")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="loket", description=_("Loket — layanan perizinan DPMPTSP-TK Kabupaten Landak.")
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", required=False, parser_class=Parser)

    gui = _add(sub, "gui", cmd_gui, _("buka aplikasi desktop"))
    gui.add_argument("--smoke-test", action="store_true", default=argparse.SUPPRESS)

    init = _add(sub, "init", cmd_init, _("siapkan atau perbarui basis data"))
    init.add_argument("--station", default="FO1", help=_("kode stasiun PC ini, misalnya FO1"))
    init.add_argument("--quiet", action="store_true")

    status = _add(sub, "status", cmd_status, _("basis data, SOP dan jumlah berkas"))
    status.add_argument("--json", action="store_true")

    _add_user_commands(sub)

    demo = _add(sub, "demo", cmd_demo, _("buat berkas demo"))
    demo.add_argument("--count", type=int, default=200)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--force",
        action="store_true",
        help=_("tulis data demo juga ke basis data yang sudah berisi data kantor"),
    )

    _add_dossier_commands(sub)
    audit = sub.add_parser("audit", help=_("log audit")).add_subparsers(
        dest="audit_command", required=True, parser_class=Parser
    )
    _add(audit, "verify", cmd_audit_verify, _("periksa rantai hash log audit"))
    _add_sop_commands(sub)
    add_document_commands(sub, Parser)
    add_office_commands(sub, Parser)
    add_report_commands(sub, Parser)
    add_worklist_command(sub)
    return parser


def _early_language(arguments: Sequence[str]) -> str | None:
    """``--lang en`` or ``--lang=en`` before the parser is built; None when absent or unknown.

    An unknown value is left to the parser, which refuses it in the default language.
    """
    for i, argument in enumerate(arguments):
        if argument == "--":
            break
        value = None
        if argument == "--lang" and i + 1 < len(arguments):
            value = arguments[i + 1]
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
        if value in LANGUAGES:
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    early = _early_language(arguments)
    if early is not None:  # the parser's own texts and errors follow the language too
        set_language(early)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.lang:
        set_language(args.lang)
    if args.command is None:
        if not args.smoke_test:
            parser.error(_("perintah belum disebut"))
        args.handler = cmd_gui
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(_("kesalahan: {error}").format(error=exc), file=sys.stderr)
        return exc.code
    except (
        ServiceError,
        StorageError,
        CatalogError,
        SopFileError,
        PatternError,
        TemplateError,
    ) as exc:
        print(_("kesalahan: {error}").format(error=exc), file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print(_("Dibatalkan."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `loket ... | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
