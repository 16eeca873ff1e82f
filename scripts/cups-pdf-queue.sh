#!/usr/bin/env bash
# A CUPS print queue that writes PDF files, for tests/ui/test_cups_printing.py: the
# desktop prints to it by name through Qt's CUPS print support, as it would to the
# counter's printer, and the test checks the PDF that cups-pdf writes.
#
# As root on Debian, idempotently: installs CUPS and the cups-pdf backend when missing,
# starts cupsd when it is not running (there is no systemd in CI or on the dev
# machines, so cupsd is started directly), creates the queue LoketPDF and prints the
# folder its PDFs land in. The queue uses the device URI cups-pdf:/loket, which makes
# cups-pdf read /etc/cups/cups-pdf-loket.conf instead of the shared cups-pdf.conf, so
# the machine's own PDF printer settings are left alone. It does not become the
# default printer. Elsewhere it says what it would need and exits 0, changing nothing.
set -euo pipefail

QUEUE=LoketPDF
INSTANCE=loket
CONFIG=/etc/cups/cups-pdf-$INSTANCE.conf
OUT_ROOT=/var/spool/cups-pdf-$INSTANCE
PPD=CUPS-PDF_noopt.ppd
packages=(cups-daemon cups-client printer-driver-cups-pdf)

say() { echo "cups-pdf-queue: $*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "not a Debian system; skipped (the CUPS print test needs CUPS, cups-pdf and a queue $QUEUE on cups-pdf:/$INSTANCE)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  say "not root; skipped (run as root to make the queue $QUEUE: sudo bash $0)"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Without systemd the packages' scripts cannot reach cupsd and say so; cupsd is started below.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get install -y --no-install-recommends "${missing[@]}"
    exit 1
  }
fi

# cups-pdf reads this file for the device cups-pdf:/loket. One folder per user: the
# backend creates it owned by the user who printed, readable by that user alone.
wanted_config=$'# Written by scripts/cups-pdf-queue.sh for the queue '"$QUEUE"$'.\nOut '"$OUT_ROOT"$'/${USER}\nLabel 1\n'
if [[ ! -f "$CONFIG" || "$(cat "$CONFIG")"$'\n' != "$wanted_config" ]]; then
  printf '%s' "$wanted_config" >"$CONFIG"
  chmod 644 "$CONFIG"
fi

if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  say "starting cupsd"
  cupsd
  for _ in $(seq 50); do
    lpstat -r 2>/dev/null | grep -q "is running" && break
    sleep 0.2
  done
  lpstat -r 2>/dev/null | grep -q "is running" || { say "cupsd did not start; see /var/log/cups/error_log" >&2; exit 1; }
fi

device=$(lpstat -v "$QUEUE" 2>/dev/null | sed -n 's/^device for [^:]*: //p' || true)
if [[ "$device" != "cups-pdf:/$INSTANCE" ]]; then
  model=$(lpinfo -m 2>/dev/null | awk -v ppd="$PPD" '$1 ~ ppd"$" {print $1; exit}' || true)
  if [[ -n "$model" ]]; then
    driver=(-m "$model")
  else
    driver=(-P "/usr/share/ppd/cups-pdf/$PPD")
  fi
  # lpadmin warns that PPD drivers are deprecated in future CUPS; Debian 12's CUPS takes them.
  if ! errors=$(lpadmin -p "$QUEUE" -E -v "cups-pdf:/$INSTANCE" "${driver[@]}" 2>&1); then
    say "lpadmin failed: $errors" >&2
    exit 1
  fi
  say "created the queue $QUEUE (cups-pdf:/$INSTANCE)"
fi
# A queue stopped by an earlier failed job takes no more: enable it and accept jobs.
cupsenable "$QUEUE"
cupsaccept "$QUEUE"

say "queue $QUEUE is ready; its PDFs land in $OUT_ROOT/<user>/ (as $(id -un): $OUT_ROOT/$(id -un)/)"
