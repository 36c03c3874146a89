"""Text cleaning, identifiers and author names for `evidence.ingest.citation` (title and journal:
`evidence.ingest.title_journal`).

Pure helpers over strings. Each pattern names the written form it reads; a form it does not
know is left alone rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata

# Every dash PDF extraction and typesetting produce, for page ranges written "1731–1740".
DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# A letter that is not ASCII lower case: starts a surname ("Côtes", "Ødegaard", "O'Shea").
UPPER = r"[^\W\d_a-z]"
PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "das", "dos", "du", "di", "la"}
    | {"le", "ter", "ten", "te", "op", "zu", "y", "bin", "al", "el", "in", "t'", "'t"}
)
_PARTICLE = "|".join(sorted(PARTICLES, key=len, reverse=True))
_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "2nd", "3rd"})
# Collective authors ("National Cancer Intelligence Network", "WHO") by the words they use.
_ORG_WORDS = re.compile(
    r"\b(?:Network|Society|Organi[sz]ation|Group|Association|Institute|Office|Committee|Council"
    r"|College|Agency|Department|Ministry|Cent(?:re|er)s?|Initiative|Consortium|Foundation"
    r"|Collaborat\w*|Federation|Union|Commission|Board|Services?|Investigators|Panel|Authority"
    r"|Administration|Programme|Program|Trust|Registr(?:y|ies)|Academy|Alliance|Bureau"
    r"|Task Force|Working Party|University|Hospital|Statistics)\b"
)
_ACRONYM = re.compile(r"[A-Z]{2,6}")

# A year a reference gives ("2005", "2010b"), not a page range's end or a DOI's part.
YEAR = re.compile(rf"(?<![{DASH}\w/])(?<!\d\.)((?:1[5-9]|20)\d{{2}})[a-z]?(?!\w|\s?[{DASH}]\s?\d)")
MONTH = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"|Spring|Summer|Autumn|Fall|Winter)"
)

# "1. ", "[12]", "(3)", "4)", and "32-" when a Vancouver name follows ("32-Sharma D, ...").
_LABEL = re.compile(
    r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|(?<!\d)\d{1,3}\s*[.)](?!\d)"
    r"|\d{1,3}-(?=[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s[A-Z]{1,3}\b))\s*"
)
_DOI = re.compile(
    r"(?:\bdoi\s*[:.]?\s*|https?://(?:dx\.)?doi\.org/|\bdoi\.org/)?(10\.\d{4,9}/[^\s\"<>]+)",
    re.IGNORECASE,
)
# "doi:10.1097/ SHK.0000000000000473": a line break after the slash, only trusted after "doi".
_DOI_SPLIT = re.compile(r"\bdoi\s*[:.]?\s*(10\.\d{4,9}/)\s+([^\s\"<>]+)", re.IGNORECASE)
_PMID = re.compile(r"\b(?:PubMed\s+)?PMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\b(?:PubMedCentral\s+)?PMC(?:ID)?\s*:?\s*(?:PMC)*\s*(\d{3,9})\b")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NOISE = re.compile(
    r"\[(?:PubMed|Google Scholar|CrossRef|Cross Ref|PMC free article|Ref list|Europe PMC)\]"
    r"|\bAvailable (?:from|at|online)\b[^.\[\]]*"
    # An access date's words before its date ("Accessed 6 October 2022", "cited 2019 Mar 4",
    # "retrieved November 17, 2011, from …"), not a title's ("highly-cited studies").
    r"|\b(?:Accessed|Last accessed|cited|Retrieved)(?=(?:\s*(?:date|at|online|on)\b)*\s*:?\s*"
    r"(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))[^.\[\]]*"
    r"|\[(?:Epub ahead of print|cited[^\]]*|Available[^\]]*)\]"
    r"|\[(?:J|M|C|D|R|N|P|S|Z|EB|DB|[JMC]/OL|EB/OL|DB/OL)\]",  # GB/T 7714 type codes: "[J]"
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'"})
# Hyphens that are not dashes (U+2010, U+2011): "Lambert J‐C", "Genome‐wide", as some
# publishers' reference lists write them; read as "-" (dashes proper are kept as written).
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


# UTF-8 read as Latin-1 / cp1252 ("NeuschÃ¤fer", "Î±"): undone when it round-trips cleanly.
_MOJIBAKE = re.compile("[\u00c2\u00c3\u00ce][\u0080-\u00bf\u0152-\u2122]|\u00e2\u20ac")


def _undo_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text


def normalise_text(text: str) -> str:
    """Fold mojibake, full-width forms, quotes and invisible characters; keep dashes."""
    folded = unicodedata.normalize("NFKC", _undo_mojibake(text)).translate(_QUOTES)
    folded = folded.translate(_HYPHENS)
    return _INVISIBLE.sub("", folded)


def strip_label(text: str) -> str:
    """Drop a reference-list label ("1. ", "[12]", "3)") from the start."""
    return _LABEL.sub("", text, count=1)


def clean_text(text: str) -> str:
    """Remove stray underscores and collapse whitespace (PDF-extraction noise)."""
    return " ".join(text.replace("_", " ").split())


_PAGE_DASH = re.compile(rf"\s?[{DASH}]\s?")
# "1731", "S77", "81a", and Cell Press's "90.e17" (the last page of "1276-90.e17").
_SIMPLE_PAGE = re.compile(r"([A-Za-z]*)(\d+)([A-Za-z]?|\.e\d+)")


def expand_pages(pages: str) -> tuple[str, str | None]:
    """Return first and last page, the last written in full ("1521-9" gives "1529")."""
    first, *rest = _PAGE_DASH.split(pages, maxsplit=1)
    if not rest:
        return pages, None
    last = rest[0]
    head, tail = _SIMPLE_PAGE.fullmatch(first), _SIMPLE_PAGE.fullmatch(last)
    if head and tail and head.group(3).startswith(".e") and not tail.group(1) + tail.group(3):
        # "426.e13-21": pages e13 to e21 of article 426, as PubMed writes them.
        return first, f"{head.group(2)}.e{_borrowed(head.group(3)[2:], tail.group(2))}"
    if head and tail and not tail.group(1):  # "S77-81", "1731-40": the last borrows the start
        last = head.group(1) + _borrowed(head.group(2), tail.group(2)) + tail.group(3)
    return first, last


def _borrowed(first: str, last: str) -> str:
    """Return a last number written in full: "1529" for "1521" and "9"."""
    return first[: max(0, len(first) - len(last))] + last


def _trim_doi(doi: str) -> str:
    doi = doi.rstrip(".,;:'\"")
    for open_, close in ("()", "[]"):
        while doi.endswith(close) and doi.count(close) > doi.count(open_):
            doi = doi[:-1].rstrip(".,;:")
    return doi


def extract_identifiers(text: str) -> tuple[str, str | None, str | None, str | None]:
    """Take DOI, PMID and PMCID out of the text; return the rest and the three ids."""
    doi: str | None = None
    split = _DOI_SPLIT.search(text)
    whole = _DOI.search(text)
    if split and (whole is None or whole.start() > split.start()):
        doi = _trim_doi(split.group(1) + split.group(2))
        text = text[: split.start()] + " " + text[split.end() :]
    elif whole:
        doi = _trim_doi(whole.group(1))
        text = text[: whole.start()] + " " + text[whole.end() :]
    pmid_match = _PMID.search(text)
    pmid = pmid_match.group(1) if pmid_match else None
    pmcid_match = _PMCID.search(text)
    pmcid = f"PMC{pmcid_match.group(1)}" if pmcid_match else None
    for pattern in (_PMID, _PMCID, _URL, _NOISE):
        text = pattern.sub(" ", text)
    return text, doi, pmid, pmcid


# --- author names -------------------------------------------------------------------------

_SURNAME = rf"(?:{UPPER}[\w'\-]*|(?:{_PARTICLE})(?=\s)|ff[a-z][\w\-]*|d'{UPPER}[\w\-]*)"
_INITIALS = r"(?:[A-Z]{1,4}|[A-Z](?:-[A-Z]){1,2}|[A-Z]\.(?:\s?-?[A-Z]\.){0,3})"
# Initials dotted and spaced ("Westerman M. A., Cooper D."), tried first, but only where a
# separator or the year ends them ("King J. C. (2012)."): before a title or journal, "Kirik D.
# J. Neurosci." and "Greenstein D. C. elegans" are as likely one initial and the next words,
# and are read the way the bare initials above read them.
_SPACED_INITIALS = r"[A-Z]\.(?:\s-?[A-Z]\.){1,3}(?=\s*(?:[,;&]|and\s|\(\s?\d{4}))"
_SUFFIX = r"(?:Jr|Sr|II|III|IV|2nd|3rd)\.?"
# "Lansbury PT., Jr" and "Lansbury P T., Jr": a suffix after the initials' stop and a comma.
_SUFFIX_AFTER_COMMA = r"\.?,\s*(?:Jr|Sr)\.?(?!\s+[A-Z]{1,3},)"  # not an author "Jr RL,"
_VANCOUVER_NAME = (
    rf"(?:{_SURNAME}(?:\s+{_SURNAME}){{0,3}}\s+{_SPACED_INITIALS}"
    rf"|{_SURNAME}(?:\s+{_SURNAME}){{0,3}}\s+{_INITIALS}(?:\s+{_INITIALS})?"
    rf"(?:\s+{_SUFFIX}|{_SUFFIX_AFTER_COMMA}(?=\s))?"
    rf"|{_SURNAME}(?:\s+{_SURNAME}){{0,2}},\s*[A-Z]\.(?:\s?-?[A-Z]\.){{0,3}})(?![\w'])"
)
# "Parkin DM, Boyd L, Walker LC." / "Nishimoto N and Kishimoto T." / "Dayer JM, Choy, E."
VANCOUVER_AUTHORS = re.compile(
    rf"^{_VANCOUVER_NAME}(?:\s*,\s*{_VANCOUVER_NAME})*"
    rf"(?:\s*,?\s*(?:and|&)\s+{_VANCOUVER_NAME})?"
    r"\s*(?:[.:;,](?=\s|$|\")|(?<=\.)(?=\s|$)|(?=\(\s?\d{4})|(?<=, Jr|, Sr)(?=\s(?![A-Z]{1,3},)))"
)
_GIVEN = r"(?:[A-Z]\.(?:\s?-?[A-Z]\.){0,3}|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_FORWARD_NAME = rf"{_GIVEN}(?:\s+{_GIVEN}){{0,3}}\s+(?:(?:{_PARTICLE})\s+)?{UPPER}[\w'\-]+"
_FORWARD_JOIN = r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)"
# "I.S. Camilla Svensson." / "David A. Walsh, Daniel F. McWilliams,"
FORWARD_AUTHORS = re.compile(rf"^{_FORWARD_NAME}(?:{_FORWARD_JOIN}{_FORWARD_NAME})*\s*[.,](?=\s|$)")
# After "David A." a surname and another forward name mean the list goes on ("Walsh, Daniel F.
# McWilliams,"), so "David A." was not a Vancouver author followed by the title.
FORWARD_CONTINUES = re.compile(
    rf"\s*{UPPER}[\w'\-]+(?:{_FORWARD_JOIN}{_FORWARD_NAME}\s*[.,]|\s+et\.?\s+al\b)"
)
DOTTED_INITIAL = re.compile(r"\b[A-Z]\.")
# "et al." and its GB/T 7714 form ", 等." (only after a comma: 等 also means "and so on").
ET_AL = re.compile(r"[,;]?\s*\bet\.?\s*al\b\.?\s*[.,:;]?|[,、]\s*等\s*[.,:;]", re.IGNORECASE)
# Chinese names in a GB/T 7714 list: "王晓明, 李华, 张伟." (CJK unified ideographs, "·"). Each
# name is kept whole as the surname: compound surnames (欧阳) make the split a guess.
CJK_AUTHORS = re.compile(
    r"^[\u4e00-\u9fff·]{2,6}(?:\s*[,、]\s*[\u4e00-\u9fff·]{2,6}){0,30}\s*[.,](?=\s|$|[^\W\d_])"
)
_INITIALS_TOKEN = re.compile(r"[A-Z]{1,4}|(?:[A-Z]\.?-?){1,4}\.?|[A-Z](?:-[A-Z]){1,2}")


def is_collective(text: str) -> bool:
    """Say whether an author-position phrase names an organisation ("WHO", "... Network")."""
    return bool(_ORG_WORDS.search(text) or _ACRONYM.fullmatch(text.strip(" .")))


def _is_initials(token: str) -> bool:
    return bool(_INITIALS_TOKEN.fullmatch(token)) and any(c.isupper() for c in token)


def _initials_of(tokens: list[str]) -> str:
    letters: list[str] = []
    for token in tokens:
        if _is_initials(token):
            letters.extend(c for c in token if c.isupper())
        else:
            letters.extend(part[0].upper() for part in token.split("-") if part)
    return "".join(letters)


def split_name(chunk: str) -> tuple[str, str] | None:
    """Split one written name into (surname, initials), in either order of writing."""
    tokens = [t for t in chunk.split() if t not in _SUFFIXES]
    if not tokens:
        return None
    if len(tokens) >= 2 and _is_initials(tokens[-1]):
        given: list[str] = []
        while len(tokens) >= 2 and _is_initials(tokens[-1]):
            given.insert(0, tokens.pop())
        return " ".join(tokens).strip(".,"), _initials_of(given)
    if len(tokens) == 1:
        return tokens[0].strip(".,"), ""
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(tokens[start:]).strip(".,"), _initials_of(tokens[:start])


def _is_collective_chunk(chunk: str) -> bool:
    tokens = chunk.split()
    return is_collective(chunk) and not (len(tokens) >= 2 and _is_initials(tokens[-1]))


def _split_run_on(chunk: str) -> list[str]:
    """Split names written without commas: "Palmqvist S Janelidze S Stomrud E"."""
    tokens = chunk.split()
    names: list[list[str]] = [[]]
    for token in tokens:
        previous = names[-1][-1] if names[-1] else ""
        plain_initials = bool(re.fullmatch(r"[A-Z]{1,3}", previous))
        if plain_initials and len(names[-1]) >= 2 and re.fullmatch(r"[A-Z][a-z][\w'\-]*", token):
            names.append([])
        names[-1].append(token)
    return [" ".join(name) for name in names]


def split_authors(region: str) -> list[tuple[str, str]]:
    """Read a written author list into (surname, initials) pairs, in order."""
    chunks: list[str] = []
    for part in re.split(r"\s*[,;]\s*", region.strip(" .,;:")):
        if _is_collective_chunk(part):
            chunks.append(part)  # "Merseyside and Cheshire Cancer Network": one author
        else:
            chunks.extend(re.split(r"\s+(?:and|&)\s+|\s*&\s*", part))
    merged: list[str] = []
    for chunk in (c.strip() for c in chunks if c.strip(" .")):
        lone_initials = all(_is_initials(t) for t in chunk.split())
        if merged and lone_initials and not any(_is_initials(t) for t in merged[-1].split()):
            merged[-1] = f"{merged[-1]} {chunk}"  # "Choy, E.", "De Strooper, B.": APA order
        else:
            merged.extend(_split_run_on(chunk))
    names = [(c.strip(" ."), "") if _is_collective_chunk(c) else split_name(c) for c in merged]
    return [name for name in names if name and name[0]]


def surname_of(author: str) -> str:
    """Return the surname of an author as split_authors writes one and PubMed lists one,
    "Surname Initials" ("van der Heijde D", "Lambert J-C"); a collective name, or a Chinese name
    written whole, is returned whole."""
    head, _, initials = author.rpartition(" ")
    letters = initials.replace(".", "").replace("-", "")
    return head if head and letters.isupper() and len(letters) <= 4 else author


# Letters Unicode does not decompose into a Latin letter and an accent, as names are written in
# ASCII: "Møllgård" is "Mollgard", "Łukasz" "Lukasz", "Læger" "Laeger".
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ı": "i"}
    | {"æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "þ": "th", "Þ": "Th"}
)


def ascii_letters(text: str) -> str:
    """Write a name's letters in ASCII as names are written without accents: accents dropped
    ("Stępień" → "Stepien"), and the letters Unicode does not decompose written as Latin ones
    ("Møllgård" → "Mollgard"); other characters stay."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
