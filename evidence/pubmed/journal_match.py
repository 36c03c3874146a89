"""Journals as citations write them against a PubMed record's: full, ISO or NLM form, dotted or
not, with or without a place, a subtitle or the country the name ends with, known by its
initials ("JAMA"), and past an author's initial a parse left on it. Pure."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from evidence.ingest.citation import ParsedCitation
from evidence.ingest.citation_patterns import ascii_letters
from evidence.pubmed.names import same_surname
from evidence.pubmed.records import PubMedRecord

JOURNAL_STOPWORDS = {"of", "and", "the", "for", "in", "on", "de", "la"}
# An article opening NLM's subtitle: "Brain : a journal of neurology" is the "Brain J Neurol" of
# its abbreviation. Not a stop word elsewhere: "An Pediatr" (Anales) and "J Phys Chem A" (its
# section) keep theirs.
_SUBTITLE_ARTICLE = re.compile(r"(:\s*)an?\s+", re.IGNORECASE)
_USA = re.compile(r"\bU\.?\s?S\.?\s?A\b\.?", re.IGNORECASE)


def journal_words(name: str) -> list[str]:
    """Split a journal name into lower-case words without punctuation or stop words."""
    # "Alzheimer's" is the "Alzheimers" of ISO's abbreviations, not "Alzheimer s"; "U S A" and
    # "U.S.A." are "USA"; letters are written in ASCII ("Alzheimeŕs", "Ugeskr Læger").
    name = _USA.sub("USA", re.sub(r"['’]", "", _SUBTITLE_ARTICLE.sub(r"\1", name)))
    name = ascii_letters(name)
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
    # "Proc Natl Acad Sci" and "Proceedings of the National Academy of Sciences" for PubMed's
    # "Proc Natl Acad Sci U S A": the country its name ends with, left out.
    forms += [_without_country(words) for words in forms]
    written_forms += [_without_country(words) for words in written_forms]
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
    "J. Neurosci."), and PubMed's "Koo EH" says the H is his. Otherwise the journal as it is.
    A "J." stays the journal's: journals begin with it, and "Smith A. J. Neurosci." may cite
    the J Neurosci for PubMed's Neuroscience paper whose last author is Smith AJ."""
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
        if "J" not in letters[:count] and written_initials + "".join(letters[:count]) == initials:
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
    # "Anaesthesia" and "Anesthesia"; "NeuroImage" and "Neuro Image".
    if "".join(_british(words)) == "".join(_british(other)):
        return True
    return misspelt and fuzz.ratio(" ".join(words), " ".join(other)) >= 92


def _british(words: list[str]) -> list[str]:
    return [word.replace("ae", "e").replace("oe", "e") for word in words]


def _initialism(short: list[str], full: list[str]) -> bool:
    """Tell whether a journal's one-word name is the initials of the other's words: "JAMA" of
    "J Am Med Assoc" (its name until 1960), "BMJ" of "Br Med J", "CMAJ" of "Can Med Assoc J"."""
    if len(short) != 1 or not 3 <= len(short[0]) <= 6 or not short[0].isalpha():
        return False
    full = _without_country(full)  # "PNAS" of "Proc Natl Acad Sci U S A"
    return len(full) == len(short[0]) and "".join(word[0] for word in full) == short[0]


_COUNTRY = (["usa"], ["united", "states", "america"])


def _without_country(words: list[str]) -> list[str]:
    """Drop the country a journal's name ends with: "USA" (journal_words' "U S A"), "United
    States of America"."""
    for country in _COUNTRY:
        if len(words) > len(country) and words[-len(country) :] == country:
            return words[: -len(country)]
    return words


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Tell whether each word of `short` begins the matching word of `full` (ISO style)."""
    pairs = zip(short, full, strict=False)
    return len(short) == len(full) and all(f.startswith(s) for s, f in pairs)
