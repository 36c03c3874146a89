"""Build the search bench's synthetic corpus: claims recombined from real text, and papers.

Chinese claims recombine the clauses of the example deck's claims (with the topic of a deck
page); English claims are sentences of real PubMed titles and abstracts (the bundled snapshot,
and ../shared/pubmed/records when present). Each claim rests on 1-3 of `--papers` (200,000)
synthetic papers, each a real title, 5-12 real abstract sentences and a real record's MeSH
headings and keywords, stored once (`paper_search`) and linked (`claim_paper`), as
`index_claims` stores them. Tokens come from `index_tokens`, cached per distinct word.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from evidence.errors import PubMedError
from evidence.ingest.extract import extract_document
from evidence.ingest.language import INDEX_WORD, index_tokens
from evidence.ingest.readers import read_document
from evidence.pubmed.parse import parse_pubmed_xml
from evidence.pubmed.records import PubMedRecord

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "evidence" / "data" / "il6-tocilizumab-ra-deck.txt"
SNAPSHOT = ROOT / "evidence" / "data" / "pubmed-seed-snapshot.xml"
SHARED_RECORDS = ROOT.parent / "shared" / "pubmed" / "records"
CLAIMS_PER_DOCUMENT, CLAIMS_PER_PAGE, BATCH = 1000, 10, 20_000


@cache
def word_tokens(word: str) -> tuple[str, ...]:
    """Index one word (a Chinese run or a Latin word): jieba and the stemmer run once per word."""
    return tuple(index_tokens(word))


@cache
def tokens_of(text_: str) -> str:
    """Return the index tokens of a text, as `index_tokens` cuts them, joined by spaces."""
    return " ".join(t for m in INDEX_WORD.finditer(text_) for t in word_tokens(m.group()))


@dataclass
class Corpus:
    """Sources to recombine: deck clauses and topics, PubMed sentences, synthetic papers."""

    clauses: list[str]
    kinds: list[str]
    topics: list[str | None]
    sentences: list[str]
    papers: list[str] = field(default_factory=list)  # token strings, one per synthetic paper


def read_records() -> tuple[list[PubMedRecord], str]:
    """Read the bundled snapshot and, when present, ../shared/pubmed/records."""
    records = parse_pubmed_xml(SNAPSHOT.read_bytes())
    if not SHARED_RECORDS.is_dir():
        return records, f"{SHARED_RECORDS} is missing: English from the bundled snapshot only"
    for path in sorted(SHARED_RECORDS.rglob("*.xml*")):
        data = path.read_bytes()
        try:
            records += parse_pubmed_xml(gzip.decompress(data) if path.suffix == ".gz" else data)
        except PubMedError:
            continue  # a MEDLINE baseline file (MedlineCitationSet), not EFetch output
    return records, f"English from {len(records):,} real PubMed records"


def build_corpus(papers: int, seed: int) -> tuple[Corpus, str]:
    """Collect the deck's clauses and PubMed's sentences, and make the synthetic papers."""
    extracted = extract_document(read_document(DECK))
    clauses = sorted(
        {c.strip() for claim in extracted.claims for c in re.split(r"[，。；;]", claim.text)} - {""}
    )
    records, note = read_records()
    titles = [r.title for r in records if r.title]
    sentences = [
        s
        for r in records
        if r.abstract
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", r.abstract)
        if len(s) > 20
    ]
    headings = [
        tokens_of(" ".join([*(str(m.get("descriptor", "")) for m in r.mesh), *r.keywords]))
        for r in records
    ]
    corpus = Corpus(
        clauses=clauses,
        kinds=[c.kind for c in extracted.claims],
        topics=[p.topic for p in extracted.pages],
        sentences=titles + sentences,
    )
    rng = random.Random(seed)
    for _ in range(papers):
        words = [tokens_of(rng.choice(titles))]
        words += [tokens_of(rng.choice(sentences)) for _ in range(rng.randint(5, 12))]
        words.append(rng.choice(headings))
        corpus.papers.append(" ".join(dict.fromkeys(" ".join(words).split())))
    return corpus, note


@dataclass
class Batch:
    """Rows of one batch, in the tables' column order."""

    documents: list[tuple[Any, ...]]
    pages: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]
    search: list[tuple[int, str]]
    links: list[tuple[int, int]]


def generate(corpus: Corpus, claims: int, seed: int) -> Iterator[Batch]:
    """Yield the synthetic documents, pages, claims and search rows; the same for a seed."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    batch = Batch([], [], [], [], [])
    topic: str | None = None
    for claim_id in range(1, claims + 1):
        index = claim_id - 1
        document_id = index // CLAIMS_PER_DOCUMENT + 1
        page_id = index // CLAIMS_PER_PAGE + 1
        if index % CLAIMS_PER_DOCUMENT == 0:
            digest = hashlib.sha256(f"bench-{document_id}".encode()).hexdigest()
            batch.documents.append(
                (document_id, digest, "txt", "slides", f"Synthetic deck {document_id}",
                 f"bench-{document_id}.txt", now)
            )  # fmt: skip
        if index % CLAIMS_PER_PAGE == 0:
            topic = rng.choice(corpus.topics)
            number = index % CLAIMS_PER_DOCUMENT // CLAIMS_PER_PAGE + 1
            batch.pages.append((page_id, document_id, number, None, topic))
        if rng.random() < 0.67:  # two claims in three are Chinese, as in the example deck
            parts = [rng.choice(corpus.clauses) for _ in range(rng.randint(1, 3))]
            claim_text, language, kind = "，".join(parts), "zh", rng.choice(corpus.kinds)
        else:
            parts = [rng.choice(corpus.sentences) for _ in range(rng.randint(1, 2))]
            claim_text, language, kind = " ".join(parts), "en", "sentence"
        position = index % CLAIMS_PER_DOCUMENT + 1
        batch.claims.append(
            (claim_id, document_id, page_id, position, kind, claim_text, claim_text, language,
             topic)
        )  # fmt: skip
        # Clauses are joined by punctuation and sentences by spaces, so the tokens of the parts
        # are the tokens of the whole, as index_claims would cut f"{text} {topic}".
        own = " ".join(w for w in [*map(tokens_of, parts), tokens_of(topic or "")] if w)
        cited = {rng.randrange(len(corpus.papers)) + 1 for _ in range(rng.randint(1, 3))}
        batch.search.append((claim_id, own))
        batch.links += [(claim_id, paper_id) for paper_id in sorted(cited)]
        if len(batch.claims) >= BATCH:
            yield batch
            batch = Batch([], [], [], [], [])
    if batch.claims:
        yield batch
