"""Choose how to read a document's pages: as a manuscript or as a slide deck."""

from __future__ import annotations

from dataclasses import replace

from evidence.ingest.author_year import AuthorYearIndex, markers_of, removable
from evidence.ingest.author_year_list import listed_works
from evidence.ingest.manuscript import extract_manuscript
from evidence.ingest.markers import remove_markers
from evidence.ingest.readers import SourceDocument
from evidence.ingest.slides import extract_slides
from evidence.ingest.structure import ExtractedClaim, ExtractedDocument


def extract_document(source: SourceDocument) -> ExtractedDocument:
    """Extract claims, references and links from a document read from a file."""
    texts = [page.text for page in source.pages]
    manuscript = extract_manuscript(texts)
    if manuscript is not None:
        return manuscript
    return cited_by_author_year(extract_slides(texts))


def cited_by_author_year(deck: ExtractedDocument) -> ExtractedDocument:
    """Link a deck's claims that cite by author and year ("(Smolen et al., 2019)") to the
    unnumbered sources its slides list (a last slide of references, say): the deck keeps its
    slides, and its claims their other links."""
    sources = [reference for reference in deck.references if reference.label is None]
    works = listed_works(sources)
    if not works:
        return deck
    index = AuthorYearIndex(works, body="\n".join(claim.text for claim in deck.claims))
    return replace(deck, claims=[_linked(claim, index) for claim in deck.claims])


def _linked(claim: ExtractedClaim, index: AuthorYearIndex) -> ExtractedClaim:
    citations = index.citations(claim.text)
    if not any(citation.listed for citation in citations):
        return claim  # a capitalised word before a year names no source: left as it was
    offset = max(claim.as_written.find(claim.text), 0)  # markers stand in `as_written`
    markers = [replace(m, position=m.position + offset) for m in markers_of(citations)]
    cites = {m.reference: "marker" for m in markers if m.reference is not None}
    return replace(
        claim,
        text=remove_markers(claim.text, removable(claim.text, citations)),
        markers=[*claim.markers, *markers],
        cites={**claim.cites, **cites},
    )
