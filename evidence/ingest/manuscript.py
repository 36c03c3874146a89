"""Claims of a manuscript: body sentences with numbered markers (`[1]`, `[2, 3]`, `[1]-[9]`,
superscripts) resolved against the numbered reference list at the end, or with citations by
author and year (`(Smith et al., 2019)`) resolved against an unnumbered one
(evidence.ingest.author_year)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.ingest.author_year import AuthorYearIndex, markers_of, removable
from evidence.ingest.author_year_list import (
    listed_works,
    reads_as_author_year_list,
    split_entries,
)
from evidence.ingest.citation import parse_citation
from evidence.ingest.language import content_size
from evidence.ingest.markers import (
    BRACKETS,
    LEADING_SUPERSCRIPT,
    SUPERSCRIPT,
    FoundMarker,
    expand_labels,
    find_bracket_markers,
    numbers_names,
    remove_markers,
)
from evidence.ingest.reference_lines import NUMBERED, numbered_label
from evidence.ingest.sentences import GLUED_AFTER_STOP, SENTENCE_CLOSE, split_sentences
from evidence.ingest.structure import (
    ExtractedClaim,
    ExtractedDocument,
    ExtractedMarker,
    ExtractedPage,
    ExtractedReference,
)

REFERENCES_HEADING = re.compile(
    r"^\s*(?:#+\s*|\d+\.?\s+)?(?:references?(?: list| cited)?|bibliography|literature cited"
    r"|works cited|参考文献)\s*[:：]?\s*$",
    re.IGNORECASE,
)
# A list item in text: a bullet ("-", "*", "•") or a number ("1.", "2)") leading a line.
_LIST_ITEM = re.compile(r"^\s*(?:[-*•●▪◦]|\d{1,2}[.)])\s+\S")
_BULLET = re.compile(r"^\s*[-*•●▪◦]\s+(?=\S)")  # taken off a claim; a number is kept
MIN_WORDS = 4
DECK_PAGE = 600  # characters: most of a deck's pages hold fewer, a manuscript's more
# Citation markers a block may end in after its full stop: "[1]", "[2, 3]", "¹²".
_TRAILING_MARKERS = re.compile(r"(?:\s*\[[\d,\s\-–]+\]|[⁰¹²³⁴⁵⁶⁷⁸⁹,⁻–]+)+$")
_LONG_NUMBER = re.compile(
    r"^\s*(?:\[(?P<bracket>\d{4})\]|(?P<plain>\d{4})\s*[.、)）])\s*(?P<body>.+)$"
)  # NUMBERED's groups but the superscript one, which numbered_label reads
# A line that is a section's heading, though no blank line follows it ("Introduction\nIL-6 is…"):
# a usual section's name, numbered or not; a numbered subsection ("2.1 Study population"); or
# capitals alone ("PATIENTS AND METHODS").
_SECTION_NAME = re.compile(
    r"(?:\d+(?:\.\d+)*\.?\s+)?(?:abstract|background|introduction|methods?|materials? and methods"
    r"|patients and methods|study design|statistical analys[ie]s|results|discussion|conclusions?"
    r"|limitations|objectives?|aims?|summary|acknowledge?ments|funding|conflicts? of interest"
    r"|摘要|背景|引言|前言|目的|方法|结果|讨论|结论)\s*[:：]?",
    re.IGNORECASE,
)
_SUBSECTION = re.compile(r"\d+\.\d+(?:\.\d+)*\.?\s+[A-Z][^.!?。]{0,80}")
_CAPITALS = re.compile(r"[A-Z][A-Z ,&/-]{3,60}")


@dataclass(frozen=True)
class _Line:
    page: int
    text: str


def find_reference_heading(lines: Sequence[str]) -> int | None:
    """Return the index of the last "References" heading followed by numbered references."""
    for index in range(len(lines) - 1, -1, -1):
        if REFERENCES_HEADING.match(lines[index]):
            following = [line for line in lines[index + 1 : index + 12] if line.strip()]
            numbered = [line for line in following if NUMBERED.match(line.strip())]
            if len(numbered) >= min(2, len(following)) and numbered:
                return index
    return None


def find_author_year_heading(lines: Sequence[str]) -> int | None:
    """Return the index of the last "References" heading followed by an unnumbered list of
    references that start with their authors and hold a year (Harvard, APA)."""
    for index in range(len(lines) - 1, -1, -1):
        if REFERENCES_HEADING.match(lines[index]):
            following = [(0, line) for line in lines[index + 1 : index + 40]]
            if reads_as_author_year_list(split_entries(following)):
                return index
    return None


def extract_manuscript(page_texts: Sequence[str]) -> ExtractedDocument | None:
    """Extract the sentences and the reference list of a manuscript; None when the document
    is not one: it ends in no numbered reference list under a heading, nor in an unnumbered
    one that its sentences cite by author and year."""
    lines = [_Line(n, line) for n, text in enumerate(page_texts, 1) for line in text.split("\n")]
    texts = [line.text for line in lines]
    if _reads_as_deck(page_texts):
        return None  # a deck keeps its slides, whatever its last one lists
    heading = find_reference_heading(texts)
    if heading is not None:
        references = _reference_list(lines[heading + 1 :])
        by_label = {r.label: r.index for r in references if r.label}
        claims = [
            _sentence_claim(page, sentence, by_label) for page, sentence in _body(lines[:heading])
        ]
    else:
        heading = find_author_year_heading(texts)
        if heading is None:
            return None
        references = _author_year_list(lines[heading + 1 :])
        text = "\n".join(line.text for line in lines[:heading])
        index = AuthorYearIndex(listed_works(references), body=text)
        body = _body(lines[:heading])
        cited = [_cited_by_author_year(page, sentence, index) for page, sentence in body]
        if not any(listed for _, listed in cited):
            return None  # a deck's unnumbered sources, say: its slides cite them otherwise
        claims = [claim for claim, _ in cited]
    pages = [ExtractedPage(n, None, None) for n in range(1, len(page_texts) + 1)]
    return ExtractedDocument("manuscript", pages, claims, references)


def _reads_as_deck(page_texts: Sequence[str]) -> bool:
    """Tell a deck from a manuscript: three pages or more, most of them short (a slide's
    words), where a manuscript's pages are paragraphs (a PDF's page, a text's sections); and
    most of its blocks not ending as sentences do (a slide's title and bullets), where a short
    manuscript's sections are paragraphs of sentences (headings and reference lists aside)."""
    sizes = sorted(len(text.strip()) for text in page_texts if text.strip())
    if not (len(sizes) >= 3 and sizes[len(sizes) // 2] < DECK_PAGE):
        return False
    blocks = [block.strip() for text in page_texts for block in re.split(r"\n\s*\n", text)]
    said = [  # not headings, titles or reference lists, which decks and manuscripts share
        _TRAILING_MARKERS.sub("", block)
        for block in blocks
        if content_size(block) > 8 and not NUMBERED.match(block.split("\n", 1)[0])
    ]
    ending = sum(1 for block in said if block[-1:] in ".。!?！？")
    return ending < len(said) / 2


def _body(lines: Sequence[_Line]) -> list[tuple[int, str]]:
    """Return the sentences of the body that are long enough to be claims, with their pages."""
    return [
        (page, sentence)
        for page, paragraph in _paragraphs(lines)
        for sentence in split_sentences(paragraph)
        if content_size(sentence) >= MIN_WORDS
    ]


def _author_year_list(lines: Sequence[_Line]) -> list[ExtractedReference]:
    entries = split_entries((line.page, line.text) for line in lines)
    return [
        ExtractedReference(index, page, None, text, parse_citation(text))
        for index, (page, text) in enumerate(entries)
    ]


def _reference_list(lines: Sequence[_Line]) -> list[ExtractedReference]:
    # Each reference: its page, its number, its lines as written, its words after the number.
    entries: list[tuple[int, str | None, list[str], list[str]]] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        numbered = NUMBERED.match(text) or _next_of_many(text, entries[-1][1] if entries else None)
        if numbered:
            entries.append((line.page, numbered_label(numbered), [text], [numbered["body"]]))
        elif entries:
            entries[-1][2].append(text)
            entries[-1][3].append(text)
    return [
        ExtractedReference(index, page, label, " ".join(lines), parse_citation(" ".join(body)))
        for index, (page, label, lines, body) in enumerate(entries)
    ]


def _next_of_many(text: str, last: str | None) -> re.Match[str] | None:
    """Match a reference numbered 1000 or more ("1000. Smith J ...") where the one before it is
    its predecessor: four digits only in sequence, so that no year starting a line is taken
    for a number."""
    found = _LONG_NUMBER.match(text)
    follows = last is not None and last.isdigit()
    if found and follows and int(numbered_label(found)) == int(last or 0) + 1:
        return found
    return None


def _paragraphs(lines: Sequence[_Line]) -> list[tuple[int, str]]:
    """Group body lines into paragraphs; headings and short title lines are left out."""
    paragraphs: list[tuple[int, str]] = []
    current: list[_Line] = []
    for line in [*lines, _Line(0, "")]:
        # A blank line or a heading ends a paragraph; a list item starts one ("- ...", "2. ...").
        # A heading follows a paragraph's end, not a line a sentence runs on from (a running
        # header between pages: "…in patients with\nORIGINAL RESEARCH\nrheumatoid arthritis").
        ended = not current or SENTENCE_CLOSE.search(current[-1].text.rstrip()) is not None
        heading = _section_heading(line.text, capitals=ended)
        ends = not line.text.strip() or heading
        if current and (ends or _starts_item(line.text, current[-1].text)):
            text = " ".join(part.text.strip() for part in current)
            if not _is_heading(text):
                paragraphs.append((current[0].page, text))
            current = []
        if line.text.strip() and not heading:
            current.append(_Line(line.page, _BULLET.sub("", line.text, count=1)))
    return paragraphs


def _section_heading(line: str, *, capitals: bool = True) -> bool:
    """Tell a line that is a section's heading by its words alone (see _SECTION_NAME); one in
    capitals alone only when `capitals` (a running header may stand inside a sentence)."""
    text = line.strip()
    if not text or not (text[0].isupper() or text[0].isdigit() or "\u4e00" <= text[0] <= "\u9fff"):
        return False
    if len(text.split()) > 10:
        return False
    patterns = (_SECTION_NAME, _SUBSECTION, _CAPITALS) if capitals else (_SECTION_NAME, _SUBSECTION)
    return any(pattern.fullmatch(text) for pattern in patterns)


def _starts_item(line: str, before: str) -> bool:
    """Tell whether a line starts a list item: a bullet always; a number when it is 1, or after
    a line that ended a sentence or is short (a heading), not in a wrapped sentence ("…the
    median age at diagnosis was\n55. Most patients" goes on)."""
    if _BULLET.match(line):
        return True
    numbered = _LIST_ITEM.match(line)
    if not numbered:
        return False
    first = re.match(r"\s*1[.)]", line) is not None
    ended = not re.search(r"[\w,(–-]$", before.rstrip())
    return first or ended or len(before.strip()) <= 40


def _is_heading(text: str) -> bool:
    """Tell headings and title-page lines from body text, among lines not ending as a sentence
    does: a short one that cites nothing, one numbered in superscript (an affiliation), and one
    whose superscripts all number names (authors); not a list item that cites ("increased
    hepcidin¹ and reduced iron absorption²")."""
    if text.startswith("#") or LEADING_SUPERSCRIPT.match(text):
        return True
    if SENTENCE_CLOSE.search(text):
        return False
    numbered = len(SUPERSCRIPT.findall(text))
    if numbered and numbers_names(text):
        return True  # every superscript numbers a name: authors
    return len(text.split()) <= 8 and not BRACKETS.search(text) and not numbered


def _sentence_claim(page: int, sentence: str, by_label: dict[str, int]) -> ExtractedClaim:
    markers = [  # "[2019]" is a year unless the list has a reference 2019
        m
        for m in find_bracket_markers(sentence)
        if all(len(label) < 4 or label in by_label for label in m.labels)
    ]
    glued = GLUED_AFTER_STOP.search(sentence)  # "in RA.12": numbers the list has
    if glued and all(label in by_label for label in expand_labels(glued["labels"])):
        markers.append(FoundMarker(glued.start(), glued.end(), expand_labels(glued["labels"])))
    extracted = [
        ExtractedMarker(m.start, label, by_label.get(label)) for m in markers for label in m.labels
    ]
    cites = {m.reference: "marker" for m in extracted if m.reference is not None}
    return ExtractedClaim(
        page, "sentence", sentence, remove_markers(sentence, markers), extracted, cites
    )


def _cited_by_author_year(
    page: int, sentence: str, index: AuthorYearIndex
) -> tuple[ExtractedClaim, bool]:
    """Return the sentence as a claim, and whether it cites a work by an author listed."""
    citations = index.citations(sentence)
    markers = markers_of(citations)
    cites = {m.reference: "marker" for m in markers if m.reference is not None}
    text = remove_markers(sentence, removable(sentence, citations))
    claim = ExtractedClaim(page, "sentence", sentence, text, markers, cites)
    return claim, any(citation.listed for citation in citations)
