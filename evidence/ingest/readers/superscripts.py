"""Citation numbers that Word and PowerPoint set as superscript (`IL-6` + `3`, `in RA.` + `12`,
`outcomes` + `1–3`), written as Unicode superscripts (`IL-6³`), which evidence.ingest.markers
reads as markers with no guess: as plain text they would read `IL-63` and `RA.12`, and a
manuscript's would not be found at all. A superscript that is a power stays plain text, as the
file's text has it: an exponent (`10` + `6`), a unit's (`m` + `2`, `kg/m` + `2`), a variable's
(`I` + `2`, `χ` + `2`, `r` + `2`), and anything that is not numbers (`Ca` + `2+`, `CD4` + `+`).
"""

from __future__ import annotations

import re

# Numbers as a citation gives them: 12 | 1,2 | 1, 2 | 1-3 | 1–3,5 (a trailing comma or space too).
_LABELS = re.compile(r"\s*\d{1,3}(?:\s*[,，\-–—]\s*\d{1,3})*\s*,?\s*")
_ATTACHED_TO = re.compile(r"[^\s/]*$")  # the word a superscript follows (after a space or "/")
_NUMBER = re.compile(r"[\d.,×x]*\d")  # 10, 2.5, ×10, 150×10: what an exponent follows
_PUNCTUATION = tuple(".,;:)]）】。，；")  # an exponent never follows these; a citation may
_UNITS = frozenset({"m", "cm", "mm", "km", "nm", "μm", "µm", "um", "dm", "ft", "in"})
_SUPERSCRIPT = str.maketrans("0123456789-–—,，", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁻,,")


def superscript_citation(raised: str, before: str) -> str | None:
    """Return superscript text as Unicode superscripts when it reads as citation numbers after
    `before` (the text preceding it in its paragraph); None when it is not citation numbers."""
    if not _LABELS.fullmatch(raised):
        return None
    word = _ATTACHED_TO.search(before)
    attached = word.group() if word else ""
    if attached and not attached.endswith(_PUNCTUATION):
        if _NUMBER.fullmatch(attached) or attached in _UNITS:
            return None  # 10⁶, m²
        letters = attached.lstrip("(（[")
        if len(letters) == 1 and letters.isalpha():
            return None  # I², χ², r²
    return "".join(raised.split()).rstrip(",").translate(_SUPERSCRIPT)
