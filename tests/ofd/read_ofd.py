"""Reads an OFD back with easyofd, an OFD parser that shares no code with
mz-print, and checks its embedded fonts with fontTools (easyofd's own font
library).

    read_ofd.py FILE.ofd [--expect EXPECTED.json]

Prints, as JSON on stdout, what the reader found: per page the text objects
(text, font id, x and y of the first glyph's origin in mm, colour) and per
embedded font its names, outline format and the characters of the text set
in it that its cmap does not map to a glyph or whose glyph has no outline. With --expect (a JSON list of
pages, each a list of run texts, as mz-print's tests write it) it exits 1
and says what differs when the pages' texts do not match, a font is missing
or is not a single font, or a character has no glyph in its font.

scripts/ofd-reader.sh makes the venv this runs in (tests/ofd/.venv).
"""

import argparse
import base64
import io
import json
import os
import shutil
import sys
import tempfile

# easyofd and PyMuPDF print progress and notices to stdout as they are
# imported and as they read; stdout is kept for the JSON and all the rest
# goes to stderr.
RESULT = sys.stdout
sys.stdout = sys.stderr

from loguru import logger  # noqa: E402

# easyofd logs a warning for each Windows font it does not find at import;
# none of them is used here.
logger.remove()
logger.add(sys.stderr, level="ERROR")

from easyofd.ofd import OFD  # noqa: E402
from fontTools.pens.boundsPen import BoundsPen  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402


def read(path):
    """The parsed document: easyofd unzips into the working directory and
    prints as it goes, so it runs in a scratch directory of its own (with no
    dot in its path: easyofd cuts the path at the first dot)."""
    scratch = tempfile.mkdtemp(prefix="ofd_read_", dir="/tmp")
    here = os.getcwd()
    try:
        os.chdir(scratch)
        ofd = OFD()
        ofd.read(os.path.join(here, path), fmt="path")
        return ofd.data
    finally:
        os.chdir(here)
        shutil.rmtree(scratch, ignore_errors=True)


def first_origin(item):
    """x and y (mm) of the first glyph's origin: the boundary's corner plus
    TextCode's X and Y (the CTM of a rotated glyph moves it too)."""
    x0, y0 = item["pos"][0], item["pos"][1]
    x, y = float(item.get("X") or 0), float(item.get("Y") or 0)
    ctm = (item.get("CTM") or "").split()
    if len(ctm) == 6:
        a, b, c, d, e, f = (float(v) for v in ctm)
        x, y = a * x + c * y + e, b * x + d * y + f
    return round(x0 + x, 3), round(y0 + y, 3)


def check_font(font_b64, chars):
    font_bytes = base64.b64decode(font_b64)
    info = {"bytes": len(font_bytes)}
    if font_bytes[:4] == b"ttcf":
        info["error"] = "a font collection (.ttc), not a single font"
        return info
    font = TTFont(io.BytesIO(font_bytes))
    names = font["name"]
    info["family"] = names.getDebugName(16) or names.getDebugName(1)
    info["outlines"] = "CFF" if "CFF " in font else "glyf" if "glyf" in font else "none"
    info["has_os2"] = "OS/2" in font
    cmap = font.getBestCmap() or {}
    glyph_set = font.getGlyphSet()
    missing = []
    empty = []
    for ch in sorted(chars):
        name = cmap.get(ord(ch))
        if name is None or name == ".notdef" or name not in glyph_set:
            missing.append(ch)
            continue
        # A subset that kept the cmap but lost the outline would print
        # nothing: every character here has ink.
        pen = BoundsPen(glyph_set)
        glyph_set[name].draw(pen)
        if pen.bounds is None and not ch.isspace():
            empty.append(ch)
    info["missing"] = missing
    info["empty"] = empty
    return info


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ofd")
    parser.add_argument("--expect")
    args = parser.parse_args()

    docs = read(args.ofd)
    if not docs:
        print("easyofd found no document", file=sys.stderr)
        return 1
    doc = docs[0]
    pages = []
    chars_by_font = {}
    for _, page in sorted(doc["page_info"].items()):
        texts = []
        for item in page.get("text_list", []):
            text = item["text"]
            font = str(item["font"])
            chars_by_font.setdefault(font, set()).update(text)
            x, y = first_origin(item)
            texts.append(
                {
                    "text": text,
                    "font": font,
                    "x": x,
                    "y": y,
                    "colour": " ".join(c for c in item.get("color", ()) if c),
                }
            )
        pages.append(texts)
    fonts = {}
    for font_id, font in doc["fonts"].items():
        if not font.get("font_b64"):
            fonts[font_id] = {"error": f"no embedded file ({font.get('FontFile')})"}
            continue
        fonts[font_id] = check_font(font["font_b64"], chars_by_font.get(font_id, set()))
        fonts[font_id]["name"] = font.get("FontNameORI")
    found = {"pages": pages, "fonts": fonts}
    print(json.dumps(found, ensure_ascii=False, indent=1), file=RESULT)

    if not args.expect:
        return 0
    with open(args.expect, encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    got = [[t["text"] for t in page] for page in pages]
    if len(got) != len(expected):
        problems.append(f"{len(got)} pages read, {len(expected)} written")
    for n, (want, have) in enumerate(zip(expected, got), start=1):
        if want != have:
            problems.append(f"page {n}: wrote {want!r}, read {have!r}")
    for font_id in chars_by_font:
        if font_id not in fonts:
            problems.append(f"font {font_id} is used but not declared")
    for font_id, info in fonts.items():
        if "error" in info:
            problems.append(f"font {font_id}: {info['error']}")
        elif info["missing"]:
            problems.append(f"font {font_id} ({info.get('name')}) has no glyph for {''.join(info['missing'])!r}")
        elif info["empty"]:
            problems.append(f"font {font_id} ({info.get('name')}) has empty glyphs for {''.join(info['empty'])!r}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
