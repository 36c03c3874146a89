"""Ingest a 1,000-slide synthetic deck built from the example deck's slides; print pages/s and
claims/s, for extraction alone and for the whole ingest into SQLite, against the naive way
(the same rows committed one at a time) in the same run.

    python bench/ingest.py [--slides 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from evidence.db import make_engine, prepare_database
from evidence.ingest.extract import extract_document
from evidence.ingest.pipeline import ingest_file
from evidence.ingest.readers import read_document
from evidence.models import Claim, Document, Page

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "evidence" / "data" / "il6-tocilizumab-ra-deck.txt"
)


def build_deck(slides: int) -> str:
    """Repeat the example's slides, varying numbers so that no two decks hash alike."""
    seed = [p for p in re.split(r"\n(?:[ \t]*\n){2,}", EXAMPLE.read_text("utf-8")) if p.strip()]
    out = []
    for n in range(slides):
        page = seed[n % len(seed)]
        out.append(re.sub(r"(\d+)例", lambda m, n=n: f"{int(m.group(1)) + n}例", page))
    return "\n\n\n".join(out)


def naive_ingest(url: str, path: Path) -> int:
    """Store the same pages and claims with a commit per row: what a first attempt does."""
    engine = make_engine(url)
    prepare_database(engine)
    source = read_document(path)
    extracted = extract_document(source)
    with Session(engine) as session:
        document = Document(
            content_hash="naive" + source.content_hash[5:], format="txt", kind="slides",
            source_name="naive",
        )  # fmt: skip
        session.add(document)
        session.commit()
        pages = {}
        for p in extracted.pages:
            page = Page(document_id=document.id or 0, number=p.number, topic=p.topic)
            session.add(page)
            session.commit()
            pages[p.number] = page.id or 0
        for position, c in enumerate(extracted.claims, 1):
            session.add(
                Claim(
                    document_id=document.id or 0,
                    page_id=pages[c.page_number],
                    position=position,
                    kind=c.kind,
                    text=c.text,
                    as_written=c.as_written,
                    language="zh",
                    topic=None,
                )  # fmt: skip
            )
            session.commit()
    engine.dispose()
    return len(extracted.claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slides", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "synthetic-deck.txt"
        deck.write_text(build_deck(args.slides), encoding="utf-8")

        started = time.perf_counter()
        extracted = extract_document(read_document(deck))
        extract_s = time.perf_counter() - started
        pages, claims = len(extracted.pages), len(extracted.claims)

        url = f"sqlite:///{folder}/bench.db"
        engine = make_engine(url)
        prepare_database(engine)
        started = time.perf_counter()
        report = ingest_file(engine, deck)
        ingest_s = time.perf_counter() - started
        engine.dispose()

        started = time.perf_counter()
        naive_ingest(f"sqlite:///{folder}/naive.db", deck)
        naive_s = time.perf_counter() - started

    print(f"synthetic deck: {args.slides} slides in, {pages} pages, {claims} claims, "
          f"{report.citations} citations")  # fmt: skip
    print(f"{'stage':<28}{'seconds':>9}{'pages/s':>10}{'claims/s':>10}")
    for name, seconds in [
        ("extract (read + claims)", extract_s),
        ("ingest (one transaction)", ingest_s),
        ("naive (commit per row)", naive_s),
    ]:
        print(f"{name:<28}{seconds:>9.2f}{pages / seconds:>10.0f}{claims / seconds:>10.0f}")
    print(f"ingest vs naive: {naive_s / ingest_s:.1f}x faster")


if __name__ == "__main__":
    main()
