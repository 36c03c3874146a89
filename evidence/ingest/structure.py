"""What extraction finds in a document, before anything is stored: pure data."""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.ingest.citation import ParsedCitation


@dataclass(frozen=True)
class ExtractedReference:
    """A reference as written on a page; `index` is its position in the document, from 0."""

    index: int
    page_number: int
    label: str | None
    as_written: str
    parsed: ParsedCitation


@dataclass(frozen=True)
class ExtractedMarker:
    """A marker in a claim: `position` in the claim's `as_written`; `reference` None if dangling."""

    position: int
    label: str
    reference: int | None


@dataclass(frozen=True)
class ExtractedClaim:
    """A claim, the markers in it, and the references it cites with how each link was made."""

    page_number: int
    kind: str  # "headline", "bullet", "statement", "label", "sentence"
    as_written: str
    text: str
    markers: list[ExtractedMarker] = field(default_factory=list)
    cites: dict[int, str] = field(default_factory=dict)  # reference index -> link method


@dataclass(frozen=True)
class ExtractedPage:
    """A slide or page with its heading and topic."""

    number: int
    heading: str | None
    topic: str | None


@dataclass(frozen=True)
class ExtractedDocument:
    """Everything extraction found in one document."""

    kind: str  # "slides" or "manuscript"
    pages: list[ExtractedPage]
    claims: list[ExtractedClaim]
    references: list[ExtractedReference]

    @property
    def dangling_markers(self) -> list[tuple[ExtractedClaim, ExtractedMarker]]:
        """Return every marker that names no reference on its page."""
        return [(c, m) for c in self.claims for m in c.markers if m.reference is None]
