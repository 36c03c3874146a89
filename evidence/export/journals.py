"""Journal names as a bibliography prints them, from NLM's catalog titles.

NLM writes a journal's title in sentence case with what tells it apart from others of the same
name: "The New England journal of medicine", "Epidemiology (Cambridge, Mass.)", "BMJ (Clinical
research ed.)", "Brain : a journal of neurology", "Nature reviews. Rheumatology". A reference
list prints "The New England Journal of Medicine", "Epidemiology", "BMJ", "Brain", "Nature
Reviews Rheumatology". The ISO abbreviation ("N Engl J Med") travels beside it.
"""

from __future__ import annotations

import re

from evidence.pubmed.journal_match import JOURNAL_QUALIFIER

# Words a title case leaves in lower case, but first.
_SMALL = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the"}
    | {"to", "with", "de", "des", "du", "la", "le", "les", "et", "und", "der"}
)
_WORD = re.compile(r"[^\s\-/]+")


def journal_title(nlm_title: str | None) -> str | None:
    """Return a journal's title as a reference list prints it (see the module's docstring)."""
    if not nlm_title:
        return nlm_title
    title = JOURNAL_QUALIFIER.sub("", nlm_title).strip() or nlm_title.strip()
    title = re.sub(r"\.\s+(?=\S)", " ", title).rstrip(".")  # "Nature reviews. Rheumatology"
    words = list(_WORD.finditer(title))
    pieces: list[str] = []
    cursor = 0
    for index, match in enumerate(words):
        word = match.group()
        pieces.append(title[cursor : match.start()])
        small = index > 0 and word.lower() in _SMALL and title[match.start() - 1] == " "
        letters = word.replace("'", "").replace("’", "")
        lower = letters.islower() and letters.isalpha()  # not "eLife", "mBio", "3D"
        pieces.append(word[:1].upper() + word[1:] if lower and not small else word)
        cursor = match.end()
    pieces.append(title[cursor:])
    return "".join(pieces)
