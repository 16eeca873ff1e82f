"""argparse's own texts (usage line, group titles, its errors) in the office's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from loket.cli.main import build_parser, main
from loket.cli.parser import translate_error

#: What argparse writes itself, in English, and must never reach an Indonesian user.
ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message",
    "error:",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
    "expected one argument",
    "ambiguous option",
    "invalid int value",
)


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command line argparse refuses; its stderr (exit code 2 checked)."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("penggunaan: ") or err.startswith("usage: "), err
    return err


def _indonesian(text: str) -> None:
    found = [phrase for phrase in ENGLISH if phrase in text]
    assert not found, (found, text)


def test_help_is_indonesian(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("penggunaan: loket ")
    for phrase in ("argumen posisi:", "opsi:", "tampilkan bantuan ini lalu keluar", "PERINTAH"):
        assert phrase in out
    assert "tampilkan versi program lalu keluar" in out
    _indonesian(out)


def test_a_subcommands_help_is_indonesian(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["worklist", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("penggunaan: loket worklist ")
    assert "opsi:" in out
    _indonesian(out)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("worklist",), "loket worklist: kesalahan: argumen berikut wajib diisi: --role"),
        (("user",), "loket user: kesalahan: argumen berikut wajib diisi: PERINTAH"),
        (("sop", "check"), "argumen berikut wajib diisi: paths"),
        (("frob",), "argumen PERINTAH: pilihan tidak sah: 'frob' (pilih salah satu: 'gui',"),
        (("--lang", "fr", "sop", "list"), "argumen --lang: pilihan tidak sah: 'fr'"),
        (("dossier", "list", "--sop", "x"), "argumen --sop: nilai 'x' bukan bilangan bulat"),
        (("sop", "list", "--bogus"), "kesalahan: argumen tidak dikenal: --bogus"),
        (("dossier", "list", "--state"), "argumen --state: perlu satu nilai"),
        (
            ("--d", "x", "sop", "list"),
            "argumen PERINTAH: pilihan tidak sah: 'x'",
        ),  # no abbreviations
    ],
)
def test_argparse_errors_are_indonesian(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    err = _refused(capsys, *args)
    assert expected in err
    _indonesian(err)


def test_english_on_request_for_the_parser_too(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: loket ")
    assert "positional arguments:" in out
    assert "show this help message and exit" in out
    assert "argumen posisi" not in out
    err = _refused(capsys, "--lang=en", "worklist")
    assert "loket worklist: error: the following arguments are required: --role" in err
    err = _refused(capsys, "--lang", "en", "dossier", "list", "--sop", "x")
    assert "argument --sop: 'x' is not an integer" in err


def test_an_unknown_message_is_kept_as_argparse_wrote_it() -> None:
    assert translate_error("something new in Python 3.99") == "something new in Python 3.99"
    assert (
        translate_error("argument --x: something new") == "argumen --x: something new"
    )  # the wrapper is known, the inside is kept


def test_an_abbreviated_option_is_refused_not_half_understood(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--lan", "en", "status"])
    assert exit_.value.code == 2
    assert "--lan" in capsys.readouterr().err
