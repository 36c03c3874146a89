"""Word's automatic list numbers ("1.", "[1]", "a)"), which are not in a paragraph's text: Word
draws them from the document's numbering definitions (`numbering.xml`), by the paragraph's own
`w:numPr` or its style's. A reference list numbered so must read "1. Smith J, ..." for the
manuscript extractor to find it, as if typed; a bulleted paragraph reads "• ".

Counting follows Word: a list's counters belong to its abstract definition, so paragraphs of
every numbering instance of it continue one sequence, except where an instance restarts a level
(`w:startOverride`, Word's "Restart numbering"); a level counted resets the levels below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.document import Document as WordDocument
from docx.oxml.ns import qn

from evidence.ingest.readers.list_numerals import numeral

_W_VAL = qn("w:val")
BULLET = "• "


@dataclass(frozen=True)
class _Level:
    format: str  # w:numFmt: decimal, lowerLetter, upperRoman, bullet, none, ...
    text: str  # w:lvlText: "%1.", "[%1]", "%1.%2", or a bullet's glyph
    start: int


class ListNumbers:
    """The labels of a document's numbered and bulleted paragraphs, counted in the order asked
    for (the body's order)."""

    def __init__(self, document: WordDocument) -> None:
        self._abstract: dict[str, str] = {}  # numId → abstractNumId
        self._levels: dict[str, dict[int, _Level]] = {}  # abstractNumId → ilvl → level
        self._restarts: dict[str, dict[int, int]] = {}  # numId → ilvl → start it restarts at
        self._counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → last number
        self._restarted: set[str] = set()  # numIds whose restarts were applied
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return  # a document without lists
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            levels = self._levels.setdefault(abstract.get(qn("w:abstractNumId")) or "", {})
            for level in abstract.iterchildren(qn("w:lvl")):
                levels[_int(level.get(qn("w:ilvl")))] = _Level(
                    _value(level, "w:numFmt") or "decimal",
                    _value(level, "w:lvlText") or "",
                    _int(_value(level, "w:start"), default=1),
                )
        for num in numbering.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId")) or ""
            self._abstract[num_id] = _value(num, "w:abstractNumId") or ""
            self._restarts[num_id] = {
                _int(override.get(qn("w:ilvl"))): _int(_value(override, "w:startOverride"))
                for override in num.iterchildren(qn("w:lvlOverride"))
                if override.find(qn("w:startOverride")) is not None
            }

    def label(self, paragraph: Any, style: Any) -> str:
        """Return the label Word shows before a body paragraph ("1. ", "[12] ", "• "), counting
        it; "" when it is not in a list."""
        num_id, ilvl = _numbering(paragraph, style)
        abstract = self._abstract.get(num_id or "")
        levels = self._levels.get(abstract or "", {})
        level = levels.get(ilvl)
        if level is None or num_id is None or abstract is None:
            return ""
        counters = self._counters.setdefault(abstract, {})
        if num_id not in self._restarted:
            self._restarted.add(num_id)
            for restarted, start in self._restarts.get(num_id, {}).items():
                counters[restarted] = start - 1
        current = levels[ilvl].start - 1 if ilvl not in counters else counters[ilvl]
        counters[ilvl] = current + 1
        for deeper in [n for n in counters if n > ilvl]:
            del counters[deeper]  # a level counted (a bullet's too) starts those below it again
        if level.format in ("bullet", "none"):
            return BULLET if level.format == "bullet" else ""
        text = level.text
        for shown in range(ilvl + 1):
            shown_level = levels.get(shown, level)
            number = counters.get(shown, shown_level.start)
            text = text.replace(f"%{shown + 1}", numeral(number, shown_level.format))
        return f"{text} " if text.strip() else ""


def _numbering(paragraph: Any, style: Any) -> tuple[str | None, int]:
    """Return a paragraph's numbering instance (None for none) and level: its own `w:numPr`,
    else its style's or a base style's."""
    num_id: str | None = None
    ilvl: int | None = None
    sources = [paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")]
    while style is not None:
        properties = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        sources.append(properties)
        style = style.base_style
    for properties in (source for source in sources if source is not None):
        if num_id is None:
            num_id = _value(properties, "w:numId")
        if ilvl is None and _value(properties, "w:ilvl") is not None:
            ilvl = _int(_value(properties, "w:ilvl"))
    return (None if num_id in (None, "0") else num_id), ilvl or 0


def _value(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag))
    return None if child is None else child.get(_W_VAL)


def _int(value: str | None, *, default: int = 0) -> int:
    return int(value) if value is not None and value.lstrip("-").isdigit() else default
