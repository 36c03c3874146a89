"""PowerPoint's bullets and automatic numbers, which are not in a paragraph's text: the bullet a
paragraph shows is the first setting found along PowerPoint's inheritance, and an automatic
number (`a:buAutoNum`, "1.", "(a)", "iv)") counts the shape's numbered paragraphs of its level.
A reference list PowerPoint numbers must read "1. Smith J, ..." for the slide extractor to find
it, as if typed.
"""

from __future__ import annotations

import re
from typing import Any

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.text.text import _Paragraph

from evidence.ingest.readers.list_numerals import numeral

TITLES = frozenset(
    {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
)
LEFT_OUT = frozenset({PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER})  # they carry no claims
_BULLETS = frozenset({qn("a:buChar"), qn("a:buAutoNum"), qn("a:buBlip")})
# An automatic number's scheme: its numerals, then how it is set off ("arabicParenR": "1)").
_SCHEME = re.compile(r"(?P<numerals>arabic|alphaLc|alphaUc|romanLc|romanUc)(?:Db)?(?P<form>\w*)")
_NUMERALS = {  # PowerPoint's names for them, and Word's (evidence.ingest.readers.list_numerals)
    "alphaLc": "lowerLetter", "alphaUc": "upperLetter", "romanLc": "lowerRoman",
    "romanUc": "upperRoman",
}  # fmt: skip
_FORMS = {"Period": "{}.", "ParenR": "{})", "ParenBoth": "({})", "Plain": "{}", "Minus": "- {} -"}


def bullet_of(paragraph: _Paragraph, shape: BaseShape, slide: Slide) -> Any | None:
    """Return the bullet a paragraph shows (its `a:buChar`, `a:buAutoNum` or `a:buBlip`), or
    None, following PowerPoint's inheritance.

    The first bullet setting found wins, in this order (ECMA-376 §19.3.1 and §21.1.2.4):
    the paragraph, the shape's list style, the layout placeholder, the master placeholder,
    then the master's body style. Ordinary shapes inherit nothing that carries bullets.
    """
    level = f"a:lvl{paragraph.level + 1}pPr"
    sources: list[Any] = list(paragraph._p.xpath("./a:pPr"))
    sources += shape._element.xpath(f"./p:txBody/a:lstStyle/{level}")
    if shape.is_placeholder:
        sources += _inherited_levels(shape, slide, level)
    for properties in sources:
        for child in properties.iterchildren():
            if child.tag == qn("a:buNone"):
                return None
            if child.tag in _BULLETS:
                return child
    return None


class AutoNumbers:
    """The automatic numbers of one shape's paragraphs, counted in their order. A level's count
    starts again after a paragraph at that level or above that it does not number, and where
    its scheme or start changes."""

    def __init__(self) -> None:
        self._counts: dict[int, tuple[str, str, int]] = {}  # level → (type, startAt, last shown)

    def label(self, bullet: Any | None, level: int) -> str:
        """Return the label ("3. ") a paragraph at `level` shows with this bullet (an
        `a:buAutoNum` counts; anything else shows no number), counting it."""
        self._counts = {n: count for n, count in self._counts.items() if n <= level}
        if bullet is None or bullet.tag != qn("a:buAutoNum"):
            self._counts.pop(level, None)
            return ""
        scheme, start = bullet.get("type") or "", bullet.get("startAt") or "1"
        kept = self._counts.get(level)
        first = int(start) if start.isdigit() else 1
        number = kept[2] + 1 if kept is not None and kept[:2] == (scheme, start) else first
        self._counts[level] = (scheme, start, number)
        found = _SCHEME.fullmatch(scheme)
        numerals = _NUMERALS.get(found.group("numerals") if found else "", "decimal")
        form = _FORMS.get(found.group("form") if found else "", "{}.")
        return form.format(numeral(number, numerals)) + " "


def _inherited_levels(shape: BaseShape, slide: Slide, level: str) -> list[Any]:
    """Return the level's paragraph properties a slide placeholder inherits, nearest first."""
    layout = slide.slide_layout
    master = layout.slide_master
    kind = shape.placeholder_format.type
    master_kind = kind if kind in LEFT_OUT | {PP_PLACEHOLDER.FOOTER} else PP_PLACEHOLDER.BODY
    if kind in TITLES:
        master_kind = PP_PLACEHOLDER.TITLE
    found: list[Any] = []
    for placeholder in (
        layout.placeholders.get(idx=shape.placeholder_format.idx),
        master.placeholders.get(master_kind),
    ):
        if placeholder is not None:
            found += placeholder._element.xpath(f"./p:txBody/a:lstStyle/{level}")
    style = "titleStyle" if kind in TITLES else "bodyStyle"
    found += master._element.xpath(f"./p:txStyles/p:{style}/{level}")
    return found
