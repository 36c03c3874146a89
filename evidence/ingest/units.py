"""Cut a slide's text into units: a bullet with its wrapped lines, a reference, a label, a
statement. PDF extraction breaks lines anywhere; these rules put the pieces back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from evidence.ingest.language import content_size, is_cjk, splits_a_word
from evidence.ingest.reference_lines import (
    NUMBERED,
    ReferenceLine,
    match_reference_line,
    split_sources,
)

# Bullets as PDF extraction leaves them: "•", and Wingdings glyphs read as "l", "ü", "Ø", "n".
BULLET = re.compile(r"^\s*(?:[•●▪■◆◇○◦‣⁃►➢✓✔]\s*|[lüØ§v]\s+|[-–]\s+)")
NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}\s*[.、)）]\s*(?=\S)")
TERMINAL = "。！？.!?"
OPEN_ENDED = "，、：:；;（("
PARTICLES = "的等及和与或而并是中了着地得之被"
GLUED_DIGIT_END = re.compile(r"(?<![\d.\-])\d{1,2}$")  # "…克隆2", not "IL-6"


@dataclass
class Unit:
    """Consecutive lines that belong together, with the paragraph they start in."""

    kind: str  # "bullet", "item", "reference", "text"
    lines: list[str]
    paragraph: int
    frame_start: bool = False  # began with a one-space indent: a new text frame of the PDF
    reference: ReferenceLine | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Return the unit's lines joined as a reader would read them."""
        joined = self.lines[0]
        for line in self.lines[1:]:
            joined = join_lines(joined, line)
        return joined.strip()


def join_lines(left: str, right: str) -> str:
    """Join two broken lines: no space between Chinese text or after a hyphen, else one."""
    left, right = left.rstrip(), right.strip()
    if not left:
        return right
    if left.endswith("-") or is_cjk(left[-1]) or (right and is_cjk(right[0])):
        return left + right
    if not left[-1].isascii() or (right and not right[0].isascii()):
        return left + right
    return f"{left} {right}"


def strip_bullet(line: str) -> str:
    """Return a bullet line without its bullet."""
    return BULLET.sub("", line, count=1).strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t\u3000"))


def split_units(page_text: str) -> list[Unit]:
    """Cut a page's text into units, joining lines that a line break split."""
    units: list[Unit] = []
    paragraph = 0
    blank_before = False
    for raw in _references_joined(page_text.split("\n")):
        if not raw.strip():
            if units and not blank_before:
                paragraph += 1
            blank_before = True
            continue
        sources = split_sources(raw)
        if sources is not None:  # "Source: Smith J, et al. …; Lee K, et al. …"
            found = [(part, match_reference_line(part, announced=True)) for part in sources]
            labels = [reference.label if reference else None for _, reference in found]
            if labels[:2] == [None, "2"] and found[0][1] is not None:  # "Source: A …; [2] B …"
                found[0] = (found[0][0], replace(found[0][1], label="1"))
            if found and all(reference is not None for _, reference in found):
                units += [
                    Unit("reference", [part], paragraph, frame_start=False, reference=reference)
                    for part, reference in found
                ]
                blank_before = False
                continue
        unit = _place_line(raw, units, paragraph=paragraph, after_blank=blank_before)
        if unit is not None:
            units.append(unit)
        blank_before = False
    return units


def _references_joined(lines: list[str]) -> list[str]:
    """Join a numbered reference that wraps before its year onto one line ("2. Janelidze S, …
    Nat" / "Med. 2020;26(3):379-386."): its first line alone reads as no reference."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if (
            previous.strip()
            and line.strip()
            and NUMBERED.match(previous.strip())
            and match_reference_line(previous) is None
            and not NUMBERED.match(line.strip())
            and match_reference_line(f"{previous.rstrip()} {line.strip()}") is not None
        ):
            joined[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


def _place_line(raw: str, units: list[Unit], *, paragraph: int, after_blank: bool) -> Unit | None:
    """Append `raw` to the last unit when it continues it; else return the unit it starts."""
    indent = _indent(raw)
    line = raw.strip()
    reference = match_reference_line(line)
    if reference is not None:
        return Unit("reference", [line], paragraph, frame_start=indent == 1, reference=reference)
    if BULLET.match(raw):
        return Unit("bullet", [strip_bullet(raw)], paragraph, frame_start=indent == 1)
    if NUMBERED_ITEM.match(raw):
        return Unit(
            "item", [NUMBERED_ITEM.sub("", raw, count=1)], paragraph, frame_start=indent == 1
        )
    last = units[-1] if units else None
    if last is not None and _continues(last, line, indent=indent, after_blank=after_blank):
        last.lines.append(line)
        return None
    return Unit("text", [line], paragraph, frame_start=indent == 1)


def _continues(last: Unit, line: str, *, indent: int, after_blank: bool) -> bool:
    """Tell whether `line` carries on the unit before it."""
    if indent == 1:  # a one-space indent starts a new text frame
        return False
    if indent >= 2:  # a deeper indent is a hanging continuation, even after a blank line
        return last.kind != "reference"
    previous = last.text
    if last.kind == "reference":
        return not after_blank and _continues_reference(previous, line)
    if previous[-1:] in TERMINAL or GLUED_DIGIT_END.search(previous):
        return False
    if after_blank:
        # A bullet wrapped across a blank line: "…可诱" / "导B细胞…" or a fragment ending
        # in its marker ("…互补" / "DNA(cDNA)序列被成功克隆2").
        return last.kind in ("bullet", "item") and (
            splits_a_word(previous, line)
            or (GLUED_DIGIT_END.search(line) is not None and " " not in line)
        )
    if last.kind in ("bullet", "item"):
        return True
    return (
        previous[-1:] in OPEN_ENDED
        or previous.endswith("-")
        or line[:1] in PARTICLES
        or splits_a_word(previous, line)
        or (content_size(previous) >= 12 and content_size(line) >= 2)
    )


def _continues_reference(previous: str, line: str) -> bool:
    """A reference wraps onto a line of Latin text when it has not ended yet."""
    return previous[-1:] not in ".;" and not any(is_cjk(c) for c in line)
