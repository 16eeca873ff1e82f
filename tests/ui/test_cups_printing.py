"""The real print path: a receipt printed by name to a CUPS queue with the cups-pdf backend.

The other printing tests write QPrinter's PDF to a file, which skips everything a
counter PC actually goes through: Qt's CUPS print-support plugin, the queue looked up
by name, CUPS's filters and a backend. Here ``send_pdf`` prints to the queue
``LoketPDF`` (made by ``scripts/cups-pdf-queue.sh``), cups-pdf turns the job back into
a PDF through Ghostscript, and that PDF is checked as a person at the counter would
check the paper: as many pages, the page size of the format asked for (an 80 mm roll
is not scaled onto A4), and both codes scan to the dossier's values where the receipt
drew them.

``make test`` makes the queue first; without it the test fails and says how to make
one, so the real path is never skipped quietly.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NoReturn

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication

from loket.documents import CodeKind, PageFormat
from loket.domain.roles import Role
from loket.services.context import Loket
from loket.services.users import User
from tests.documents.support import FORMATS, decode_each_code
from tests.services.support import register
from ui.documents import Kind
from ui.printing import PrintTarget, send_pdf

#: The queue scripts/cups-pdf-queue.sh makes; another cups-pdf queue may be named instead.
QUEUE = os.environ.get("LOKET_CUPS_QUEUE", "LoketPDF")
CUPS_CONFIG = Path("/etc/cups")
#: cups-pdf's own default when its configuration names no output folder.
DEFAULT_OUT = "/var/spool/cups-pdf/${USER}"
#: CUPS, its filters and Ghostscript take a few seconds per receipt; a minute means stuck.
JOB_TIMEOUT = 60.0
POLL = 0.25
MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class PdfQueue:
    """A CUPS queue whose backend is cups-pdf, and the folder its PDFs land in."""

    name: str
    device: str
    out: Path


def _unavailable(reason: str) -> NoReturn:
    """The real print path is part of the suite: without its queue the test fails, saying why.

    ``make test`` makes the queue first (scripts/cups-pdf-queue.sh, as root on Debian).
    """
    pytest.fail(
        f"{reason}; the real print path needs the queue {QUEUE}: "
        "run as root `bash scripts/cups-pdf-queue.sh` (make test does) and test again."
    )


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def _output_folder(device: str) -> Path:
    """Where cups-pdf writes this user's jobs, read from the configuration it uses.

    A device URI ``cups-pdf:/NAME`` makes cups-pdf read ``cups-pdf-NAME.conf`` instead
    of the shared ``cups-pdf.conf``, so the queue of this test has a folder of its own.
    """
    instance = device.partition(":")[2].strip("/")
    config = CUPS_CONFIG / f"cups-pdf-{instance}.conf"
    if not instance or not config.exists():
        config = CUPS_CONFIG / "cups-pdf.conf"
    out = DEFAULT_OUT
    if config.exists():
        for line in config.read_text(encoding="utf-8").splitlines():
            key, _space, value = line.strip().partition(" ")
            if key == "Out" and value.strip():
                out = value.strip()
    user = getpass.getuser()
    return Path(out.replace("${USER}", user).replace("${HOME}", str(Path.home())))


@pytest.fixture
def cups_pdf_queue(qapp: QApplication) -> PdfQueue:
    """The cups-pdf queue ``QUEUE``, as CUPS and Qt's print support both see it."""
    if shutil.which("lpstat") is None:
        _unavailable("CUPS's client tools (lpstat) are not installed")
    found = _run("lpstat", "-v", QUEUE)
    if found.returncode != 0 or ":" not in found.stdout:
        _unavailable(
            f"CUPS has no queue {QUEUE} ({(found.stderr or found.stdout).strip() or 'no answer'})"
        )
    device = found.stdout.strip().split(": ", 1)[-1]
    if not device.startswith("cups-pdf:"):
        _unavailable(f"the queue {QUEUE} prints to {device}, not to the cups-pdf backend")
    if "disabled" in _run("lpstat", "-p", QUEUE).stdout:
        _unavailable(f"the queue {QUEUE} is disabled (cupsenable {QUEUE})")
    if QUEUE not in QPrinterInfo.availablePrinterNames():
        _unavailable(
            f"Qt's CUPS print support does not list the queue {QUEUE} "
            f"(it lists {QPrinterInfo.availablePrinterNames()})"
        )
    return PdfQueue(QUEUE, device, _output_folder(device))


def _pdfs(folder: Path) -> set[Path]:
    return set(folder.glob("*.pdf")) if folder.is_dir() else set()


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _queue_report(queue: PdfQueue) -> str:
    """What CUPS says about the queue and its jobs, for a failure message."""
    lines = [f"output folder {queue.out}: {sorted(p.name for p in _pdfs(queue.out))}"]
    for command in (
        ("lpstat", "-p", queue.name),
        ("lpstat", "-l", "-o", queue.name),
        ("lpstat", "-W", "completed", "-o", queue.name),
    ):
        done = _run(*command)
        said = (done.stdout + done.stderr).strip().splitlines()[:5]  # the newest jobs first
        lines.append("\n".join([f"$ {' '.join(command)}", *said]))
    lines.append("see also /var/log/cups/error_log and /var/log/cups/cups-pdf-*_log")
    return "\n".join(lines)


def _wait_for_job(queue: PdfQueue, before: set[Path], title: str) -> Path:
    """The PDF cups-pdf wrote for the job just sent, once CUPS calls the job done.

    cups-pdf names the file after the job's title, with characters unfit for a file
    name replaced, and lets Ghostscript write it in place: a new file is only taken
    once its letters and digits hold the title's, the queue holds no unfinished job
    and the file has stopped growing.
    """
    name = _letters_and_digits(title)
    deadline = time.monotonic() + JOB_TIMEOUT
    last_size = -1
    while time.monotonic() < deadline:
        new = sorted(
            (p for p in _pdfs(queue.out) - before if name in _letters_and_digits(p.name)),
            key=lambda p: p.stat().st_mtime,
        )
        pending = _run("lpstat", "-o", queue.name).stdout.strip()
        if new and not pending:
            size = new[-1].stat().st_size
            if size > 0 and size == last_size:
                return new[-1]
            last_size = size
        time.sleep(POLL)
    pytest.fail(
        f"cups-pdf wrote no PDF named after the job {title!r} within {JOB_TIMEOUT:.0f} s.\n"
        f"{_queue_report(queue)}"
    )


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_size() for i in range(len(document))]
    finally:
        document.close()


def _print_and_check(
    queue: PdfQueue,
    loket: Loket,
    staff: dict[Role, User],
    folder: Path,
    page: PageFormat,
    width_mm: float,
    target: PrintTarget,
) -> None:
    """Print a new dossier's receipt to ``target`` and check what cups-pdf wrote."""
    number = register(loket, staff).record.number
    receipt = loket.documents.receipt_document(staff[Role.FRONT_OFFICE], number, page)
    assert {mark.kind for mark in receipt.codes} == {CodeKind.CODE128, CodeKind.QR}
    assert all(number in mark.value for mark in receipt.codes), receipt.codes
    before = _pdfs(queue.out)

    title = f"{Kind.RECEIPT.label} {number}"  # as the preview dialog names its jobs
    sent = send_pdf(receipt.pdf, target, title=title)

    assert sent.printer == queue.name
    spooled = _wait_for_job(queue, before, title)
    printed = folder / f"printed-{page.value}.pdf"
    shutil.move(spooled, printed)  # keeps the spool folder clean; the copy stays with the test
    sizes = _page_sizes(printed.read_bytes())
    assert len(sizes) == receipt.pages == sent.pages, (spooled, sizes)
    width, height = sizes[0]
    assert width == pytest.approx(width_mm * MM, abs=2), (spooled, sizes)
    assert height == pytest.approx(receipt.page_size[1], abs=2), (spooled, sizes)
    for decoded in decode_each_code(replace(receipt, pdf=printed.read_bytes())):
        assert decoded.found == [(FORMATS[decoded.kind], decoded.expected)], (spooled, decoded)


@pytest.mark.parametrize(
    ("page", "width_mm"),
    [(PageFormat.A5, 148.0), (PageFormat.ROLL_80, 80.0)],
    ids=["a5", "roll-80mm"],
)
def test_a_receipt_printed_by_name_to_a_cups_pdf_queue_scans_at_its_own_size(
    cups_pdf_queue: PdfQueue,
    loket: Loket,
    staff: dict[Role, User],
    tmp_path: Path,
    page: PageFormat,
    width_mm: float,
) -> None:
    target = PrintTarget(printer_name=cups_pdf_queue.name)
    _print_and_check(cups_pdf_queue, loket, staff, tmp_path, page, width_mm, target)


def test_a_receipt_sent_to_no_printer_by_name_goes_to_the_default_printer(
    cups_pdf_queue: PdfQueue,
    loket: Loket,
    staff: dict[Role, User],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CUPS takes the user's default from LPDEST before lpoptions: the machine's own
    # default printer stays as it is.
    monkeypatch.setenv("LPDEST", cups_pdf_queue.name)
    assert QPrinterInfo.defaultPrinterName() == cups_pdf_queue.name
    _print_and_check(cups_pdf_queue, loket, staff, tmp_path, PageFormat.A5, 148.0, PrintTarget())
