"""Journal names as citations write them ("Nature Reviews Drug Discovery", "Ann. Rheum. Dis.")
mapped to NLM's abbreviation (MedlineTA), which ECitMatch and `[ta]` want.

The mapping comes from real sources, never a hand-typed table: the papers already stored (their
journal title, ISO abbreviation and MedlineTA), then NLM's catalog through E-utilities, each
answer cached in the database (`journal_lookup`), a name the catalog does not know included.
"""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session, col, select

from evidence.models import JournalLookup, Paper
from evidence.pubmed.journal_match import journal_words


class JournalCatalog(Protocol):
    """What we need of NLM's catalog: journals whose title matches a name."""

    async def nlm_catalog_journals(self, title: str) -> list[object]:
        """Return catalog entries for a journal title."""
        ...


def journal_key(name: str) -> str:
    """Fold a journal name to a lookup key: "Arthritis Res. Ther." -> "arthritis res ther"."""
    return " ".join(journal_words(name))


def looks_like_full_name(name: str) -> bool:
    """Tell a full journal name ("Mediators of Inflammation") from an abbreviation ("Neurobiol
    Dis."): abbreviations have periods or short words; a full name has two long words."""
    if "." in name:
        return False
    return sum(1 for word in journal_words(name) if len(word) >= 7) >= 2


class JournalNames:
    """Find the NLM abbreviation of journal names, from stored papers, the cache, the catalog."""

    def __init__(self, session: Session, catalog: JournalCatalog | None) -> None:
        self.session = session
        self.catalog = catalog
        self._known = self._from_papers()

    def _from_papers(self) -> dict[str, str]:
        known: dict[str, str] = {}
        rows = self.session.exec(
            select(Paper.journal, Paper.iso_abbrev, Paper.medline_ta)
            .where(col(Paper.medline_ta).is_not(None))
            .distinct()
        ).all()
        for journal, iso, medline_ta in rows:
            for name in (journal, iso, medline_ta):
                if name and medline_ta:
                    known.setdefault(journal_key(name), medline_ta)
        for lookup in self.session.exec(select(JournalLookup)).all():
            if lookup.found and lookup.medline_ta:
                known.setdefault(lookup.query_key, lookup.medline_ta)
        return known

    def cached(self, name: str) -> str | None:
        """Return the NLM abbreviation already known for a name, without asking anyone."""
        return self._known.get(journal_key(name))

    async def medline_ta(self, name: str) -> str | None:
        """Return the NLM abbreviation for a journal name, asking NLM's catalog once per name."""
        key = journal_key(name)
        if not key:
            return None
        if key in self._known:
            return self._known[key]
        cached = self.session.exec(select(JournalLookup).where(JournalLookup.query_key == key))
        if cached.first() is not None or self.catalog is None or not looks_like_full_name(name):
            # Asked before and unknown; or offline; or already an abbreviation, which ECitMatch
            # takes as it is: a catalog look-up costs two requests.
            return None
        entries = await self.catalog.nlm_catalog_journals(name)
        entry = _best_entry(key, entries)
        lookup = JournalLookup(
            query_key=key,
            found=entry is not None,
            title=getattr(entry, "title", None),
            iso_abbrev=getattr(entry, "iso_abbrev", None),
            medline_ta=getattr(entry, "medline_ta", None),
            nlm_unique_id=getattr(entry, "nlm_unique_id", None),
        )
        self.session.add(lookup)
        self.session.flush()
        if lookup.medline_ta:
            self._known[key] = lookup.medline_ta
        return lookup.medline_ta


def _best_entry(key: str, entries: list[object]) -> object | None:
    """Pick the catalog entry whose title or abbreviation is the name; else the only one."""
    for entry in entries:
        names = [getattr(entry, a, None) for a in ("title", "iso_abbrev", "medline_ta")]
        if any(n and journal_key(n) == key for n in names):
            return entry
    return entries[0] if len(entries) == 1 else None
