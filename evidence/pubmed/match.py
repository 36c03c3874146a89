"""Compare a citation as written with a PubMed record, field by field, and decide.

Pure. A citation with one wrong field (a wrong volume) still matches on the fields that are
right, so that verification can show the error; a candidate whose authors do not include the
cited first author is never accepted, whatever else agrees (ECitMatch keys on journal, volume
and page, and returns a clean but wrong PMID when the author is wrong).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from evidence.ingest.citation import ParsedCitation
from evidence.ingest.citation_patterns import PARTICLES
from evidence.pubmed.records import PubMedRecord

WEIGHTS = {
    "author": 3.0, "year": 2.0, "journal": 2.0, "volume": 2.0, "first_page": 3.0, "title": 3.0,
}  # fmt: skip
ACCEPT = 0.8  # weighted agreement needed to accept a candidate
MARGIN = 0.15  # how far the best must stand above the next to be chosen over it
MIN_FIELDS = 3  # fields compared before any decision
# A record is the paper cited, whatever else the citation got wrong, when its first author is
# the one cited, the title as written is its title (word order aside: a title of this many
# words at least), and the year is right or one off: a wrong first page and a wrong volume
# are then errors for verification to name, not a reason to leave the citation unresolved.
SAME_TITLE = 90
TITLE_WORDS = 4
JOURNAL_STOPWORDS = {"of", "and", "the", "for", "in", "on", "de", "la"}


def fold(text: str | None) -> str:
    """Fold a name to lower-case ASCII letters: "Rose-John" → "rosejohn", "Stępień" → "stepien"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", ascii_text.lower())


# German letters as written without the umlaut: "Hochgraefe" is "Hochgräfe".
_TRANSLITERATED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def same_surname(written: str, pubmed: str) -> bool:
    """Tell whether a surname as written is PubMed's: accents aside ("Fenelon", "Fénelon"),
    with a German umlaut written out ("Hochgraefe", "Hochgräfe"), or without the particle
    that PubMed puts first ("Strooper" for "De Strooper", "Heijde" for "van der Heijde")."""
    folded = fold(written)
    if folded in (fold(pubmed), fold(pubmed.translate(_TRANSLITERATED))):
        return True
    if fold(written.translate(_TRANSLITERATED)) == fold(pubmed):  # "Müller" for "Mueller"
        return True
    # A list sorted by surname writes the particles after it: "Bergen von" for "von Bergen".
    name, particles = written.split(), list[str]()
    while len(name) > 1 and name[-1].lower() in PARTICLES:
        particles.insert(0, name.pop())
    if particles and fold(" ".join(particles + name)) == fold(pubmed):
        return True
    words = pubmed.split()
    while len(words) > 1 and words[0].lower() in PARTICLES:
        words = words[1:]
        if folded == fold(" ".join(words)):
            return True
    return False


# A surname one letter amiss ("Nishimto", "Barkof"): a letter left out, added, changed or two
# swapped, not the first, in a surname of at least this many letters. It names the author for
# resolution only where every other field agrees (_misspelt_first_author), and verification
# names the misspelling.
MISSPELT_SURNAME_LETTERS = 5
MISSPELT_AUTHOR = 0.8  # the author field's agreement then


def misspelt_surname(written: str, pubmed: str) -> bool:
    """Tell whether a surname as written is PubMed's with one letter amiss (see above)."""
    cited, listed = fold(written), fold(pubmed)
    if min(len(cited), len(listed)) < MISSPELT_SURNAME_LETTERS or cited[0] != listed[0]:
        return False
    return OSA.distance(cited, listed, score_cutoff=1) == 1


def forename_written_out(written: str, pubmed: str) -> bool:
    """Tell whether an author written "Surname Forename Initials" ("Elmore Monica RP", as some
    lists give a name) is PubMed's "Surname Initials" ("Elmore MR"): the same surname, and the
    forename's initial with the others beginning PubMed's initials, or they the written ones."""
    words = written.split()
    initials = words.pop() if len(words) > 2 and words[-1].isupper() and len(words[-1]) <= 3 else ""
    if len(words) < 2 or not re.fullmatch(r"[A-Z][a-z]+", words[-1]):
        return False
    surname, forename = " ".join(words[:-1]), words[-1]
    listed, written_initials = pubmed.rpartition(" ")[2], forename[0] + initials
    if fold(surname) != fold(surname_of(pubmed)) or not listed.isupper():
        return False
    return written_initials.startswith(listed) or listed.startswith(written_initials)


def surname_of(author: str) -> str:
    """Return the surname of a "Surname Initials" author (a collective name whole)."""
    head, _, initials = author.rpartition(" ")
    return head if head and initials.isupper() and len(initials) <= 4 else author


def comparable_title(title: str) -> str:
    """Return a title's words for comparing: lower case, a Greek letter by its name, as titles
    are written in ASCII ("Aβ" as "Abeta", "β-amyloid" as "beta-amyloid"), punctuation as
    spaces ("(1-42)")."""
    text = unicodedata.normalize("NFKC", title).lower()
    named = "".join(_GREEK.get(c, c) for c in text)
    return " ".join(re.findall(r"[^\W_]+", named))


_GREEK = {
    letter: unicodedata.name(letter).split()[-1].lower()
    for letter in map(chr, range(0x3B1, 0x3CA))
    if letter != "\u03c2"  # final sigma
}


def journal_words(name: str) -> list[str]:
    """Split a journal name into lower-case words without punctuation or stop words."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    return [w for w in words if w not in JOURNAL_STOPWORDS]


# What qualifies a journal's name beside the name: NLM's place ("Science (New York, N.Y.)",
# "Acta Neuropathol (Berl)"), "[Internet]", and NLM's subtitle ("Brain : a journal of neurology").
JOURNAL_QUALIFIER = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])|\s+:\s.*$")


def same_journal(written: str, record: PubMedRecord, *, misspelt: bool = True) -> bool:
    """Tell whether a journal as written names the record's journal (full, ISO or NLM form),
    with or without what qualifies the name (a place, "[Internet]", a subtitle); `misspelt`:
    a letter or two amiss ("J Am Geriatr Scoc") still names it, as resolution needs, where
    verification names the misspelling."""
    names = [name for name in (record.journal, record.iso_abbrev, record.medline_ta) if name]
    forms = [journal_words(re.sub(r"\(([^)]*), [^)]*\)", r"(\1)", name)) for name in names]
    forms += [journal_words(JOURNAL_QUALIFIER.sub("", name)) for name in names]
    written_forms = [journal_words(written), journal_words(JOURNAL_QUALIFIER.sub("", written))]
    if not misspelt:  # what a reference's parse may leave after it: "Sci Transl Med 9"
        written_forms += [_without_volume(words) for words in written_forms]
    for words in written_forms:
        if words and any(_same_words(words, other, misspelt) for other in forms if other):
            return True
    return False


def cites_journal(citation: ParsedCitation, record: PubMedRecord, *, misspelt: bool = True) -> bool:
    """Tell whether a citation's journal is the record's (same_journal), as written or less the
    last author's initials its parse left on it (_past_last_initials)."""
    journal = citation.journal or ""
    if same_journal(journal, record, misspelt=misspelt):
        return True
    past = _past_last_initials(citation, record)
    return past != journal and same_journal(past, record, misspelt=misspelt)


# Single dotted letters a journal starts with: "H. " of "H. J. Neurochem.".
_LEADING_INITIALS = re.compile(r"(?:[A-Z]\.\s+)+")


def _past_last_initials(citation: ParsedCitation, record: PubMedRecord) -> str:
    """Return the journal written, less the last author's initials a parse left on it, when
    PubMed's last author has them: "Lu D. C., Koo E. H. J. Neurochem." reads as "Koo E" and
    "H. J. Neurochem." (a parse cannot tell "Koo E. H." and "J. Neurochem." from "Kirik D." and
    "J. Neurosci."), and PubMed's "Koo EH" says the H is his. Otherwise the journal as it is."""
    journal = citation.journal or ""
    leading = _LEADING_INITIALS.match(journal)
    if not (leading and citation.authors and record.authors) or citation.et_al:
        return journal
    written_surname, _, written_initials = citation.authors[-1].rpartition(" ")
    surname, _, initials = record.authors[-1].rpartition(" ")
    if not (written_surname and surname and same_surname(written_surname, surname)):
        return journal
    letters = leading.group().replace(".", "").split()
    for count in range(len(letters), 0, -1):
        if written_initials + "".join(letters[:count]) == initials:
            return journal[leading.start() :].split(maxsplit=count)[-1]
    return journal


def _without_volume(words: list[str]) -> list[str]:
    """Drop a volume a parse left after a journal's words ("Sci Transl Med 9")."""
    while len(words) > 1 and words[-1].isdigit():
        words = words[:-1]
    return words


def _same_words(words: list[str], other: list[str], misspelt: bool = True) -> bool:
    if words == other or _abbreviates(words, other) or _abbreviates(other, words):
        return True
    if _initialism(words, other) or _initialism(other, words):
        return True
    if "".join(_british(words)) == "".join(_british(other)):  # "Anaesthesia", "USA" ("U S A")
        return True
    return misspelt and fuzz.ratio(" ".join(words), " ".join(other)) >= 92


def _british(words: list[str]) -> list[str]:
    return [word.replace("ae", "e").replace("oe", "e") for word in words]


def _initialism(short: list[str], full: list[str]) -> bool:
    """Tell whether a journal's one-word name is the initials of the other's words: "JAMA" of
    "J Am Med Assoc" (its name until 1960), "BMJ" of "Br Med J", "CMAJ" of "Can Med Assoc J"."""
    if len(short) != 1 or not 3 <= len(short[0]) <= 6 or not short[0].isalpha():
        return False
    if full[-3:] == ["u", "s", "a"] and len(full) > 3:
        full = full[:-3]  # "PNAS" of "Proc Natl Acad Sci U S A"
    return len(full) == len(short[0]) and "".join(word[0] for word in full) == short[0]


def same_volume(written: str, pubmed: str) -> bool:
    """Tell whether two volumes are one: by the number that leads each (Brain's "123 ( Pt 4)"
    is volume 123, as "123" written is)."""
    return _volume_number(written) == _volume_number(pubmed)


def _volume_number(value: str) -> str:
    leading = re.match(r"\s*([A-Za-z]?\d+[A-Za-z]?)\b", value)
    return leading.group(1).lower() if leading else value.strip().lower()


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Tell whether each word of `short` begins the matching word of `full` (ISO style)."""
    pairs = zip(short, full, strict=False)
    return len(short) == len(full) and all(f.startswith(s) for s, f in pairs)


def _pages_equal(written: str | None, record: str | None) -> bool:
    if not written or not record:
        return False
    return written.strip().lower().lstrip("0") == record.strip().lower().lstrip("0")


@dataclass(frozen=True)
class Match:
    """How well a record fits a citation: per-field agreement (None: not comparable)."""

    record: PubMedRecord
    fields: dict[str, float | None] = field(default_factory=dict)
    author_listed: bool = True
    identified: bool = False  # first author, title and year name the record (SAME_TITLE)

    @property
    def accepted(self) -> bool:
        """Tell whether the record fits well enough to be the paper cited."""
        return self.score >= ACCEPT or self.identified

    @property
    def score(self) -> float:
        """Return the weighted share of agreeing fields among those compared."""
        compared = {k: v for k, v in self.fields.items() if v is not None}
        if not compared:
            return 0.0
        total = sum(WEIGHTS[k] for k in compared)
        score = sum(WEIGHTS[k] * v for k, v in compared.items()) / total
        return score if self.author_listed else min(score, 0.5)

    @property
    def compared(self) -> int:
        """Count the fields compared."""
        return sum(1 for v in self.fields.values() if v is not None)

    def disagreements(self) -> list[str]:
        """Name the fields that disagree."""
        return [k for k, v in self.fields.items() if v is not None and v < 0.5]


def compare(citation: ParsedCitation, record: PubMedRecord) -> Match:
    """Compare a citation with a record field by field."""
    fields: dict[str, float | None] = dict.fromkeys(WEIGHTS)
    author_listed = True
    cited = fold(citation.first_author)
    if cited and record.authors:
        surnames = [fold(surname_of(a)) for a in record.authors]
        first = surname_of(record.authors[0])
        written_first = citation.authors[0] if citation.authors else ""
        if (
            same_surname(citation.first_author or "", first)
            or (cited in surnames[0] and len(cited) >= 4)
            or forename_written_out(written_first, record.authors[0])
        ):
            fields["author"] = 1.0
        elif cited in surnames or any(
            same_surname(citation.first_author or "", surname_of(a)) for a in record.authors
        ):
            fields["author"] = 0.6  # cited, but not first
        else:
            fields["author"] = 0.0
            # With a complete author list, a surname that is not in it rules the record out.
            author_listed = not record.authors_complete
    if citation.year and record.year:
        gap = abs(citation.year - record.year)
        fields["year"] = 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0  # e-pub vs print year
    if citation.journal and (record.journal or record.iso_abbrev):
        fields["journal"] = 1.0 if cites_journal(citation, record) else 0.0
    if citation.volume and record.volume:
        fields["volume"] = 1.0 if same_volume(citation.volume, record.volume) else 0.0
    written_page = citation.article_number or citation.first_page
    record_page = record.first_page or record.elocation
    if written_page and record_page:
        fields["first_page"] = float(
            _pages_equal(written_page, record.first_page)
            or _pages_equal(written_page, record.elocation)
        )
    if fields["author"] == 0.0 and _misspelt_first_author(citation, record, fields):
        fields["author"], author_listed = MISSPELT_AUTHOR, True
    identified = False
    if citation.title and record.title:
        written, title = comparable_title(citation.title), comparable_title(record.title)
        fields["title"] = fuzz.token_set_ratio(written, title) / 100
        identified = (
            fields["author"] == 1.0
            and (fields["year"] or 0) >= 0.5
            and len(citation.title.split()) >= TITLE_WORDS  # as written: "IL-6 in RA" is 3
            and fuzz.token_sort_ratio(written, title) >= SAME_TITLE
        )
    return Match(record, fields, author_listed, identified)


def _misspelt_first_author(
    citation: ParsedCitation, record: PubMedRecord, fields: dict[str, float | None]
) -> bool:
    """Tell whether the first author cited is the record's misspelt (MISSPELT_SURNAME_LETTERS):
    only where the rest of the citation names the record alone, its year, journal, volume and
    first page all agreeing, and the first initial too when both give one. Schmitt and Schmidt
    are two authors as often as one misspelt: in the same journal and volume, a paper of one
    is not the other's."""
    if not misspelt_surname(citation.first_author or "", surname_of(record.authors[0])):
        return False
    if any(fields[name] != 1.0 for name in ("year", "journal", "volume", "first_page")):
        return False
    written = citation.authors[0].rpartition(" ")[2] if citation.authors else ""
    listed = record.authors[0].rpartition(" ")[2]
    return not (written.isupper() and listed.isupper() and written[0] != listed[0])


@dataclass(frozen=True)
class Decision:
    """The outcome of weighing candidates: a chosen record, or why there is none."""

    status: str  # "resolved", "ambiguous", "not_found"
    match: Match | None
    candidates: list[str]
    reason: str


def decide(citation: ParsedCitation, records: Sequence[PubMedRecord]) -> Decision:
    """Choose the record a citation means, or say it is ambiguous or not found."""
    matches = sorted((compare(citation, r) for r in records), key=lambda m: -m.score)
    matches = [m for m in matches if m.compared >= MIN_FIELDS]
    if not matches:
        return Decision("not_found", None, [], "no candidate to compare enough fields with")
    best = matches[0]
    if not best.accepted:  # none fits on the fields' weights: one its title names, if any
        best = next((m for m in matches if m.identified), best)
    runners = [m for m in matches if m.record.pmid != best.record.pmid]
    close = [m for m in runners if m.accepted and abs(best.score - m.score) < MARGIN]
    if best.accepted and not close:
        differing = best.disagreements()
        note = f"; differs in {', '.join(differing)}" if differing else ""
        return Decision(
            "resolved", best, [best.record.pmid], f"{best.compared} fields compared{note}"
        )
    if best.accepted:
        pmids = [best.record.pmid, *(m.record.pmid for m in close)]
        return Decision("ambiguous", None, pmids, f"{len(pmids)} candidates fit equally well")
    return Decision(
        "not_found",
        None,
        [m.record.pmid for m in matches[:5] if m.score >= 0.5],
        f"best candidate agrees on {best.score:.0%} of the fields compared",
    )
