"""Authors' names as citations write them and as PubMed lists them ("Surname Initials"): one
surname written another way, misspelt, or with the forename written out. Pure."""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from evidence.ingest.citation_patterns import PARTICLES, ascii_letters, surname_of


def fold(text: str | None) -> str:
    """Fold a name to lower-case ASCII letters: "Rose-John" → "rosejohn", "Stępień" → "stepien",
    "Møllgård" → "mollgard"."""
    if not text:
        return ""
    return re.sub(r"[^a-z]", "", ascii_letters(text).lower())


# Letters written out as German and the Nordic languages do: "Hochgraefe" is "Hochgräfe",
# "Moeller" "Møller", "Aastrup" "Åstrup".
_TRANSLITERATED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
    | {"ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"}
)


def same_surname(written: str, pubmed: str) -> bool:
    """Tell whether a surname as written is PubMed's: accents aside ("Fenelon", "Fénelon"),
    with a German umlaut written out ("Hochgraefe", "Hochgräfe"), or without the particle
    that PubMed puts first ("Strooper" for "De Strooper", "Heijde" for "van der Heijde"), or
    from the particle of a compound one ("van Charante" for "Moll van Charante")."""
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
    # A compound surname cited from its particle on: "de la Vega" for "Pagnon de la Vega".
    return any(
        words[at].lower() in PARTICLES and folded == fold(" ".join(words[at:]))
        for at in range(1, len(words))
    )


# A surname one letter amiss ("Nishimto", "Barkof"): a letter left out, added, changed or two
# swapped, not the first, in a surname of at least this many letters. It names the author for
# resolution only where every other field agrees (match._misspelt_first_author), and verification
# names the misspelling.
MISSPELT_SURNAME_LETTERS = 5


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
