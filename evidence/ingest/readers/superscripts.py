"""Citation numbers that Word and PowerPoint set as superscript (`IL-6` + `3`, `in RA.` + `12`,
`outcomes` + `1–3`), written as Unicode superscripts (`IL-6³`), which evidence.ingest.markers
reads as markers with no guess: as plain text they would read `IL-63` and `RA.12`, and a
manuscript's would not be found at all. A superscript that is a power stays plain text, as the
file's text has it: ten's (`10` + `6`, `150×10` + `9`, `p<10` + `5`), a unit's (`m` + `2`,
`1.73m` + `2`), a variable's (`I` + `2`, `χ` + `2`, `tau` + `2`), and anything that is not
numbers (`Ca` + `2+`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What a citation's superscript holds: marks it may carry along (`.12`, `®1`, `+3` after CD4),
# then numbers as a citation gives them (12 | 1,2 | 1, 2 | 1-3 | 1–3,5), then a comma or space.
_CITATION = re.compile(
    r"(?P<lead>[\s.,;:®™*†‡+]*)"
    r"(?P<numbers>\d{1,3}(?:\s*[,，\-–—]\s*\d{1,3})*)"
    r"(?P<trail>\s*,?\s*)"
)
_ATTACHED_TO = re.compile(r"[^\s/]*$")  # the word a superscript follows (after a space or "/")
_TEN = re.compile(r"(?:^|[^\d.,])10$")  # ten, whose powers are written so: 10, ×10, p<10
_NUMBER_FIRST = re.compile(r"^[\d.,]+")  # 1.73m: a number, then its unit
_PUNCTUATION = tuple(".,;:)]）】。，；%")  # an exponent never follows these; a citation may
_UNITS = frozenset({"m", "cm", "mm", "km", "nm", "μm", "µm", "um", "dm", "ft"})
_VARIABLES = frozenset({"chi", "tau", "eta", "rho", "sigma"})  # besides single letters
_SUPERSCRIPT = str.maketrans("0123456789-–—,，", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻⁻,,")


def superscript_citation(raised: str, before: str) -> str | None:
    """Return superscript text with its citation numbers as Unicode superscripts when it reads
    as a citation after `before` (the text preceding it in its paragraph); None when it is not
    citation numbers."""
    citation = _CITATION.fullmatch(raised)
    if citation is None:
        return None
    found = _ATTACHED_TO.search(before)
    attached = found.group() if found else ""
    if not citation.group("lead") and _is_power_base(attached):
        return None
    numbers = "".join(citation.group("numbers").split()).translate(_SUPERSCRIPT)
    trail = " " if citation.group("trail").endswith(" ") else ""
    return citation.group("lead") + numbers + trail


def _is_power_base(attached: str) -> bool:
    """Tell whether superscript numbers right after this word are a power of it."""
    if not attached or attached.endswith(_PUNCTUATION):
        return False
    if _TEN.search(attached):
        return True  # 10⁶, 150×10⁹, p<10⁵; not 2010 or n = 110
    unit = _NUMBER_FIRST.sub("", attached).lstrip("(（[")
    if unit in _UNITS:
        return True  # m², 1.73m²
    return (len(unit) == 1 and unit.isalpha()) or unit.lower() in _VARIABLES  # I², χ², tau²


def joined(pieces: Iterable[tuple[str, bool]]) -> str:
    """Join a paragraph's pieces of text, each a run of its file and whether the file sets it
    superscript; consecutive superscript pieces that read as a citation are written as Unicode
    superscripts, others as they are. Every reader (Word, PowerPoint, PDF) joins through here."""
    parts: list[str] = []
    raised: list[str] = []
    for text, is_raised in [*pieces, ("", False)]:
        if is_raised:
            raised.append(text)
            continue
        if raised:
            numbers = "".join(raised)
            parts.append(superscript_citation(numbers, "".join(parts)) or numbers)
            raised.clear()
        parts.append(text)
    return "".join(parts)
