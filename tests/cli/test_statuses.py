"""Statuses on the command line: the desktop's Indonesian words, and the old English codes."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from loket.cli.main import main
from loket.cli.statuses import STATUS_WORDS, find_status, parse_status
from loket.domain.dossier import Status
from loket.domain.i18n import set_language


def test_every_status_has_one_word_taken_from_its_label() -> None:
    assert sorted(STATUS_WORDS.values()) == sorted(Status)
    for word, status in STATUS_WORDS.items():
        assert word in status.label.lower()  # the desktop's label says the same


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("diproses", Status.IN_PROGRESS),
        ("DIKEMBALIKAN", Status.RETURNED),
        ("Berkas dikembalikan", Status.RETURNED),
        ("ditolak", Status.REJECTED),
        ("dibatalkan", Status.CANCELLED),
        ("terbit", Status.ISSUED),
        ("izin-terbit", Status.ISSUED),
        ("diserahkan", Status.HANDED_OVER),
        ("in_progress", Status.IN_PROGRESS),
        ("handed_over", Status.HANDED_OVER),
    ],
)
def test_words_labels_and_codes_are_accepted(text: str, status: Status) -> None:
    assert find_status(text) is status


def test_the_words_do_not_change_with_the_language() -> None:
    set_language("en")
    try:
        assert find_status("terbit") is Status.ISSUED
        assert find_status("Permit issued") is Status.ISSUED  # the English label too
        assert find_status("Izin terbit") is Status.ISSUED  # and the Indonesian one
        assert find_status("berkas dikembalikan") is Status.RETURNED
    finally:
        set_language("id")


def test_an_unknown_status_is_refused_listing_the_words() -> None:
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        parse_status("selesai")
    message = str(refused.value)
    assert "status tidak dikenal: selesai" in message
    assert "diproses, dikembalikan, ditolak, dibatalkan, terbit, diserahkan" in message


@pytest.mark.parametrize("command", [("dossier", "list"), ("register",)])
def test_help_lists_the_indonesian_words(
    data_dir: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "diproses, dikembalikan, ditolak, dibatalkan, terbit, diserahkan" in out


def test_a_wrong_status_is_a_wrong_command_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["dossier", "list", "--state", "selesai"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argumen --state: status tidak dikenal: selesai (pilihan: diproses," in err
