"""Claims of a slide deck: headlines, bullets and labelled diagram statements, each with the
references of its slide that it cites.

A slide's references are resolved by marker; a slide with references and no markers at all
lends them to every claim on it ("sole_reference" for one, "slide_references" for several), and
a claim without a marker on a slide with markers rests on the slide's references as a whole.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from evidence.ingest.boilerplate import without_boilerplate
from evidence.ingest.citation import parse_citation
from evidence.ingest.language import content_size, count_cjk
from evidence.ingest.markers import (
    BRACKETS,
    FoundMarker,
    document_vocabulary,
    find_markers_before_cjk,
    numbers_names,
    remove_markers,
)
from evidence.ingest.slide_markers import affiliation, slide_markers
from evidence.ingest.structure import (
    ExtractedClaim,
    ExtractedDocument,
    ExtractedMarker,
    ExtractedPage,
    ExtractedReference,
)
from evidence.ingest.units import Unit, split_units

TABLE_CELL = re.compile(r"^[+\-()（）]+$")
LEGEND = re.compile(r"^(?:[A-Za-z][A-Za-z0-9\-]*\s*[:：=]|[*∗†‡§#])|[A-Za-z]+=\S")
SENTENCE_PUNCTUATION = re.compile(r"[，。；;：:,.!?！？]")
_ENDS = ".。!！?？;；"  # what ends a statement before the brackets citing it
MIN_STATEMENT = 9  # a Chinese statement has at least this many characters (Latin: words)


def split_slides(page_texts: Sequence[str]) -> list[list[Unit]]:
    """Cut pages into slides: PDF text sometimes runs several slides together.

    A reference list whose numbering starts again (or a second unnumbered reference) means a
    new slide began; it began at the last text frame (one-space indent) before it, if any.
    """
    slides: list[list[Unit]] = []
    for text in page_texts:
        units = split_units(text)
        start = 0
        last_reference: Unit | None = None
        for i, unit in enumerate(units):
            if unit.kind != "reference" or unit.reference is None:
                continue
            if last_reference is not None and _restarts(last_reference, unit, units, i):
                cut = _cut_point(units, after=units.index(last_reference), before=i)
                slides.append(units[start:cut])
                start = cut
            last_reference = unit
        slides.append(units[start:])
    return [slide for slide in slides if slide]


def _restarts(previous: Unit, current: Unit, units: list[Unit], index: int) -> bool:
    assert previous.reference is not None and current.reference is not None
    if units[index - 1] is previous:
        return False  # adjacent lines of one reference list
    old, new = previous.reference.label, current.reference.label
    if old is None or new is None:
        return True
    return int(new) <= int(old)


def _cut_point(units: list[Unit], *, after: int, before: int) -> int:
    for i in range(after + 1, before):
        if units[i].frame_start:
            return i
    return after + 1


def extract_slides(page_texts: Sequence[str]) -> ExtractedDocument:
    """Extract the claims and references of a slide deck, one page of text per slide."""
    slides = split_slides(without_boilerplate(page_texts))
    vocabulary = document_vocabulary(u.text for slide in slides for u in slide)
    pages: list[ExtractedPage] = []
    claims: list[ExtractedClaim] = []
    references: list[ExtractedReference] = []
    for number, units in enumerate(slides, start=1):
        references += [
            ExtractedReference(
                index=len(references) + k,
                page_number=number,
                label=u.reference.label,
                as_written=u.text,
                parsed=parse_citation(u.reference.body if len(u.lines) == 1 else u.text),
            )
            for k, u in enumerate(x for x in units if x.reference is not None)
            if u.reference is not None
        ]
    on_slide: dict[int, list[ExtractedReference]] = defaultdict(list)
    for reference in references:
        on_slide[reference.page_number].append(reference)
    deck_list = _deck_list(slides, on_slide)
    for number, units in enumerate(slides, start=1):
        slide_refs = on_slide[number]
        topic = find_topic(units) or _title(units)
        heading_unit = find_heading(units, topic=topic) or (topic[0] if topic else None)
        pages.append(
            ExtractedPage(number, heading_unit.text if heading_unit else None, topic_text(topic))
        )
        listed = {r.label: r.index for r in slide_refs if r.label} if slide_refs else deck_list
        claims.extend(
            _slide_claims(number, units, slide_refs, listed, vocabulary, heading_unit, topic or [])
        )
    return ExtractedDocument("slides", pages, claims, references)


def _deck_list(
    slides: list[list[Unit]], on_slide: dict[int, list[ExtractedReference]]
) -> dict[str, int]:
    """Return the numbered references of the deck's slides that list references and make no
    statement (a "References" slide, the last as a rule), by number: what the markers of a slide
    listing none of its own name. A number listed twice names neither."""
    by_label: dict[str, int | None] = {}
    for number, units in enumerate(slides, start=1):
        listing = [u for u in units if u.reference is not None]
        if not listing or any(is_statement(u) for u in units if u.reference is None):
            continue
        for reference in (r for r in on_slide[number] if r.label):
            label = reference.label or ""
            by_label[label] = None if label in by_label else reference.index
    return {label: index for label, index in by_label.items() if index is not None}


def is_label(unit: Unit) -> bool:
    """Tell whether a unit is a short label: a diagram node, a section name."""
    text = unit.text
    return (
        unit.kind == "text"
        and content_size(text) <= MIN_STATEMENT
        and not SENTENCE_PUNCTUATION.search(text.replace("、", ""))
        and not text.replace(" ", "").isdigit()
        and re.search(r"\d$", text) is None
        and BRACKETS.search(text) is None  # "[1]": a claim citing
    )


def is_statement(unit: Unit) -> bool:
    """Tell whether a unit says something: long enough, not a table row or a legend."""
    text = unit.text
    if unit.kind == "reference" or is_table_row(text):
        return False
    if _is_legend(unit):
        return False
    if text.startswith(("(", "（")) and text.endswith((")", "）")):
        return False  # an aside: "(去甲肾上腺素激活系统)"
    if count_cjk(text):
        cells = text.split()
        if len(cells) >= 3 and not SENTENCE_PUNCTUATION.search(text):
            return False  # a row of diagram labels: "B细胞 T细胞 表皮角质细胞"
        return content_size(text) >= MIN_STATEMENT
    return content_size(text) >= 5


def _is_legend(unit: Unit) -> bool:
    return unit.kind == "text" and LEGEND.search(unit.text) is not None


def is_table_row(text: str) -> bool:
    """Tell whether a line is a table row of +/- scores."""
    return sum(1 for cell in text.split() if TABLE_CELL.match(cell)) >= 2


def _paragraphs(units: list[Unit]) -> list[list[Unit]]:
    grouped: dict[int, list[Unit]] = {}
    for unit in units:
        grouped.setdefault(unit.paragraph, []).append(unit)
    return list(grouped.values())


def find_topic(units: list[Unit]) -> list[Unit] | None:
    """Find the slide's section label: "骨破坏", "血液系统 / 贫血".

    It stands right after the references, or leads the paragraph before them, or closes the
    slide as two stacked labels; a label followed by a cluster of labels is a diagram node.
    """
    paragraphs = _paragraphs(units)
    ref_indexes = [i for i, p in enumerate(paragraphs) if any(u.kind == "reference" for u in p)]
    if ref_indexes:
        after = ref_indexes[-1] + 1
        if after < len(paragraphs):
            labels = _leading_labels(paragraphs[after])
            if labels and not _in_diagram(paragraphs, after):
                return labels
        before = ref_indexes[0] - 1
        if before >= 0:
            labels = _leading_labels(paragraphs[before])
            if labels and len(labels) < len(paragraphs[before]):
                return labels  # "关节炎症" over the headline it labels
    if paragraphs:
        last = paragraphs[-1]
        if len(last) == 2 and all(is_label(u) for u in last):
            return last
    return None


def _title(units: list[Unit]) -> list[Unit] | None:
    """Return the slide's title as its topic, when no section label is found: its first line,
    alone in its paragraph or over the bullets, short and saying nothing itself ("Symptomatic
    therapy", "饮食干预"), so a search for its words finds the slide's claims. A title that is a
    statement is a claim, the slide's headline."""
    first = units[0] if units else None
    if first is None or first.kind != "text" or is_statement(first):
        return None
    # Alone in its paragraph, or over the slide's bullets (PDF text keeps no blank line after it).
    following = [u for u in units[1:] if u.paragraph == first.paragraph]
    alone = not following or following[0].kind in ("bullet", "item")
    short = content_size(first.text) <= (MIN_STATEMENT if count_cjk(first.text) else 12)
    cites = BRACKETS.search(first.text) or re.search(r"(?<!\d)\d{1,2}$", first.text)  # "IL-63"
    return [first] if alone and short and not cites else None


def _leading_labels(paragraph: list[Unit]) -> list[Unit]:
    labels: list[Unit] = []
    for unit in paragraph[:2]:
        if not is_label(unit):
            break
        labels.append(unit)
    return labels


def _in_diagram(paragraphs: list[list[Unit]], index: int) -> bool:
    following = paragraphs[index + 1 : index + 4]
    return sum(1 for p in following if all(_is_short(u) for u in p)) >= 2


def _is_short(unit: Unit) -> bool:
    return unit.kind == "text" and content_size(unit.text) < MIN_STATEMENT


def topic_text(topic: list[Unit] | None) -> str | None:
    """Render a topic's stacked labels as one string: "血液系统 贫血"."""
    return " ".join(u.text for u in topic) if topic else None


def find_heading(units: list[Unit], *, topic: list[Unit] | None) -> Unit | None:
    """Find the slide's headline: the statement just above its references, else the first
    statement set in its own text frame, else the first plain statement."""
    candidates = [u for u in units if u.kind == "text" and not (topic and u in topic)]
    first_ref = next((i for i, u in enumerate(units) if u.kind == "reference"), None)
    if first_ref is not None:
        # Walk up from the references past legends ("RANKL: 红色") and marked diagram labels.
        for before in reversed(units[max(0, first_ref - 3) : first_ref]):
            if before in candidates and is_statement(before):
                return before
            if before.kind != "text":
                break
    for unit in candidates:
        if unit.frame_start and (is_statement(unit) or units.index(unit) == 0):
            return unit
    return next((u for u in candidates if is_statement(u)), None)


def _slide_claims(
    number: int,
    units: list[Unit],
    refs: list[ExtractedReference],
    by_label: dict[str, int],
    vocabulary: frozenset[str],
    heading: Unit | None,
    topic: list[Unit],
) -> list[ExtractedClaim]:
    """Return a slide's claims; `by_label`: the references its markers name (its own, or the
    deck's list when it lists none). Only its own list makes a number glued to a word a marker
    ("JAK2" is a name where the slide lists no reference 2)."""
    labels = frozenset(by_label)
    own = frozenset(r.label for r in refs if r.label)
    found: list[tuple[Unit, str, list[FoundMarker]]] = []
    seen: set[str] = set()
    texts = [u for u in units if not (u.kind == "reference" or u in topic or _is_legend(u))]
    if number == 1 and not refs:  # a title slide's authors and affiliations: "Reed²", "¹Clinic"
        texts = [u for u in texts if not (numbers_names(u.text) or affiliation(u.text))]
    markers_of = {id(u): slide_markers(u.text, labels, own, vocabulary) for u in texts}
    if texts:  # the slide's number, glued by PDF extraction to its last line ("…研究10"): no
        last = texts[-1]  # marker, and out of the claim's text (a marker naming nothing)
        markers_of[id(last)] = [
            FoundMarker(m.start, m.end, ())
            if m.labels == (str(number),) and m.labels[0] not in own
            and m.end == len(last.text) and last.text[m.start - 1 : m.start] != "["
            else m
            for m in markers_of[id(last)]
        ]  # fmt: skip
    uncited = own - {label for ms in markers_of.values() for m in ms for label in m.labels}
    for unit in texts:
        markers = markers_of[id(unit)]
        if uncited:
            extra = find_markers_before_cjk(unit.text, uncited_labels=uncited)
            uncited -= {label for m in extra for label in m.labels}
            markers = sorted(markers + extra, key=lambda m: m.start)
        for piece, piece_markers in _split_after_markers(unit.text, markers):
            if piece in seen or not (piece_markers or is_statement(unit)):
                continue
            seen.add(piece)
            found.append((unit, piece, piece_markers))
    claims = []
    for unit, piece, markers in found:
        kind = _claim_kind(unit, heading, markers)
        extracted = [
            ExtractedMarker(m.start, label, by_label.get(label))
            for m in markers
            for label in m.labels
        ]
        cites = {m.reference: "marker" for m in extracted if m.reference is not None}
        if not markers and refs:
            method = "sole_reference" if len(refs) == 1 else "slide_references"
            cites = {r.index: method for r in refs}
        claims.append(
            ExtractedClaim(number, kind, piece, remove_markers(piece, markers), extracted, cites)
        )
    return claims


def _claim_kind(unit: Unit, heading: Unit | None, markers: list[FoundMarker]) -> str:
    if unit is heading:
        return "headline"
    if unit.kind in ("bullet", "item"):
        return "bullet"
    return "statement" if is_statement(unit) else "label"


def _split_after_markers(
    text: str, markers: list[FoundMarker]
) -> list[tuple[str, list[FoundMarker]]]:
    """Split "…有关1 在大鼠模型中…贫血2" into one statement per marker."""
    pieces: list[tuple[str, list[FoundMarker]]] = []
    start = 0
    current: list[FoundMarker] = []
    for marker in markers:
        current.append(FoundMarker(marker.start - start, marker.end - start, marker.labels))
        rest = text[marker.end :]
        # "… [3] and raises …" goes on; a glued number, or brackets after a full stop, end it.
        goes_on = text[marker.start] == "[" and text[: marker.start].rstrip()[-1:] not in _ENDS
        if not goes_on and rest[:1].isspace() and rest.strip() and rest.strip()[0].isalnum():
            pieces.append((text[start : marker.end].strip(), current))
            start, current = marker.end + len(rest) - len(rest.lstrip()), []
    tail = text[start:].strip()
    if tail:
        pieces.append((tail, current))
    return pieces
