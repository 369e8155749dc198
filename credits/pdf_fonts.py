"""The CJK font every PDF is written in, embedded in the file so that it prints the same in every reader.

A TrueType CJK font installed by the set-up (`make fonts`, the Dockerfile: Debian's ``fonts-wqy-microhei``) is found
at run time and embedded (reportlab subsets it: ``/FontFile2`` in the PDF). Debian's Noto CJK (``fonts-noto-cjk``)
is not used: it is OpenType with PostScript (CFF) outlines, which reportlab's TTFont refuses ("postscript outlines
are not supported"), so only TrueType-outline fonts are listed. With none installed the PDFs fall back to Adobe's
STSong-Light CID font, which is not embedded (readers substitute their own, some show "·" as "�"): a warning is
logged once.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

# (PDF font name, file, index in a .ttc collection), tried in order: TrueType outlines only (see above).
CANDIDATES: list[tuple[str, str, int]] = [
    ("WenQuanYiMicroHei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("WenQuanYiZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("ARPLUMing", "/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming
    ("DroidSansFallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),  # fonts-droid-fallback
]
FALLBACK = "STSong-Light"  # Adobe's Song CID font: built into reportlab, never embedded


@cache
def cjk_font() -> str:
    """The registered name of the CJK font to write with: the first installed candidate, else STSong-Light."""
    for name, path, index in CANDIDATES:
        if not Path(path).is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except (TTFError, OSError) as error:
            logger.warning("The CJK font %s cannot be embedded (%s); trying the next one.", path, error)
            continue
        return name
    logger.warning(
        "No TrueType CJK font installed (run `make fonts`, or apt-get install fonts-wqy-microhei): PDFs use %s, "
        "which is not embedded; some readers will substitute it.",
        FALLBACK,
    )
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def is_embedded(font_name: str) -> bool:
    return font_name != FALLBACK
