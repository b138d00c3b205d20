#!/usr/bin/env bash
# The independent OFD reader that mz-print's tests read the OFD export back
# with: easyofd (PyPI, a maintained pure-Python OFD parser and OFD-to-PDF
# converter) in tests/ofd/.venv. Called by scripts/test.sh before the Rust
# tests; safe to run again. With the venv in place, `cargo test -p mz-print`
# runs tests/ofd/read_ofd.py on the OFD it writes; without it that test is
# skipped and says why.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_packages python3-venv
venv="$ROOT/tests/ofd/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import easyofd, fitz' >/dev/null 2>&1; then
    say "installing easyofd, the OFD reader of mz-print's tests"
    python3 -m venv "$venv"
    # PyMuPDF 2 (which easyofd imports) pulls in onnxruntime and layout models,
    # 400 MB that reading an OFD does not use; 1.x is the same reader.
    "$venv/bin/pip" install --quiet 'easyofd==20260427' 'pymupdf>=1.24,<2'
fi
