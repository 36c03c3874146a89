"""BibTeX: works → a bibtexparser `Library` → text. UTF-8 for biber by default; LaTeX-escaped
ASCII for classic BibTeX on request. DOIs and URLs are never escaped: they stay byte-identical.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from evidence.export import MONTHS, ExportOptions, ExportWork, Policy, selected, work_notes
from evidence.export.citekeys import given_initials, split_author
from evidence.greek import CAPITAL, SMALL, VARIANTS

VERBATIM = frozenset({"doi", "url", "pmid", "pmcid"})  # identifiers: written byte for byte
# LaTeX's accent commands for Unicode's combining marks (the second character after NFD).
ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k",
}  # fmt: skip
LETTER_ACCENTS = frozenset("uvHrdck")  # commands made of letters need braces: {\v{s}}
SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "$": r"\$",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "ø": r"{\o}", "Ø": r"{\O}", "ł": r"{\l}",
    "Ł": r"{\L}", "œ": r"{\oe}", "Œ": r"{\OE}", "å": r"{\aa}", "Å": r"{\AA}", "ı": r"{\i}",
    "–": "--", "—": "---", "‐": "-", "‑": "-", "’": "'", "‘": "`", "“": "``", "”": "''",
    "\u00a0": "~", "±": r"$\pm$", "×": r"$\times$", "≥": r"$\geq$", "≤": r"$\leq$",
    "µ": r"$\mu$", "°": r"$^{\circ}$", "·": r"$\cdot$", "→": r"$\rightarrow$", "≈": r"$\approx$",
    "©": r"\copyright{}", "®": r"\textregistered{}", "™": r"\texttrademark{}", "…": r"\ldots{}",
}  # fmt: skip
# Greek letters in math mode: "$\beta$"; LaTeX has no \omicron, which is an o.
SPECIALS.update(
    {letter: "o" if name == "omicron" else f"$\\{name.replace('final ', 'var')}$"
     for letter, name in SMALL.items()}
)  # fmt: skip
# Letters LaTeX writes otherwise: APL's and Latin's alpha and epsilon, Cyrillic's o with a
# diaeresis, and the Greek letters' symbol forms (LaTeX's \vartheta, \varrho, \varpi; the
# others as the letter).
SPECIALS.update({variant: SPECIALS[letter] for variant, letter in VARIANTS.items()})
SPECIALS.update({"ϑ": r"$\vartheta$", "ϱ": r"$\varrho$", "ϖ": r"$\varpi$"})
SPECIALS.update({"⍺": r"$\alpha$", "ɛ": r"$\varepsilon$", "ɑ": r"$\alpha$", "ӧ": r"{\"o}"})
# The Greek capitals LaTeX has commands for; the others look like Latin ones and are written so.
LATEX_CAPITALS = frozenset(
    {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
)
LATIN_LOOKING = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True))
SPECIALS.update(
    {letter: f"$\\{name.capitalize()}$" if name in LATEX_CAPITALS else LATIN_LOOKING[letter]
     for letter, name in CAPITAL.items()}
)  # fmt: skip


class _LatexTable(dict[int, str]):
    """A str.translate table from characters to LaTeX, filled lazily from `SPECIALS` and NFD."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        latex = SPECIALS.get(char) or _accented(char) or _compatible(char) or char
        self[codepoint] = latex
        return latex


def _accented(char: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) < 2 or not decomposed[0].isascii():
        return None
    base = "\\i" if decomposed[0] == "i" else decomposed[0]
    latex = base
    for mark in decomposed[1:]:
        command = ACCENTS.get(mark)
        if command is None:
            return None
        latex = f"\\{command}{{{latex}}}" if command in LETTER_ACCENTS else f"\\{command}{latex}"
    return "{" + latex + "}"


def _compatible(char: str) -> str | None:
    # Full-width and other compatibility forms (the deck's "，") have a plain ASCII twin.
    plain = unicodedata.normalize("NFKC", char)
    if plain == char or not plain.isascii():
        return None
    return "".join(SPECIALS.get(c, c) for c in plain)


LATEX = _LatexTable()


def latex_escape(text: str) -> str:
    """Escape text for classic BibTeX and LaTeX: `ö` → `{\\"o}`, `β` → `$\\beta$`, `&` → `\\&`."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # "o" + U+0308 and "ö" escape alike
    return text.translate(LATEX)


# What LaTeX reads as commands even in a UTF-8 file for biber: "Alzheimer's & dementia", "20%".
_UTF8_SPECIALS = str.maketrans(
    {char: SPECIALS[char] for char in "\\&%$#_~^"}
)  # fmt: skip


def utf8_escape(text: str) -> str:
    """Escape text for biber and LaTeX read as UTF-8: letters stay as they are, braces that do
    not pair up go, and LaTeX's special characters are escaped (`&` → `\\&`)."""
    return balance_braces(text).translate(_UTF8_SPECIALS)


def _translate_specials(text: str) -> str:
    return text.translate(_UTF8_SPECIALS)


def balance_braces(text: str) -> str:
    """Drop braces that do not pair up, which would end a BibTeX value early."""
    if "{" not in text and "}" not in text:
        return text
    kept: list[str] = []
    opened: list[int] = []
    for char in text:
        if char == "}" and not opened:
            continue
        if char == "{":
            opened.append(len(kept))
        elif char == "}":
            opened.pop()
        kept.append(char)
    for index in reversed(opened):
        del kept[index]
    return "".join(kept)


# A word as BibTeX styles see it; not the letters of a LaTeX command (`\\AA`, `\\Gamma`).
TITLE_WORD = re.compile(r"(?<![\\\w])[^\W_][\w\-]*")


def protect_capitals(title: str, escape: Callable[[str], str] = str) -> str:
    """Escape a title and brace the words whose capitals must survive a style's sentence case:
    `{IL-6}`, `{Japanese}`, `{{\\AA}ngstr{\\"o}m}`; the first word only when a capital follows
    its first letter."""
    pieces: list[str] = []
    cursor = 0
    words = list(TITLE_WORD.finditer(title))
    title_case = _in_title_case([match.group() for match in words[1:]])
    for index, match in enumerate(words):
        word = match.group()
        pieces.append(escape(title[cursor : match.start()]))
        # A style keeps a title's first character ("[Hospitalized …]" keeps the bracket) and
        # lower-cases the rest; in a Title Case title a capital starting a word says nothing.
        first = index == 0 and match.start() == 0
        capitals = word[1:] if first or title_case else word
        written = escape(word)
        pieces.append("{" + written + "}" if any(c.isupper() for c in capitals) else written)
        cursor = match.end()
    pieces.append(escape(title[cursor:]))
    return "".join(pieces)


def _in_title_case(words: list[str]) -> bool:
    """Tell whether a title is written in Title Case ("PHGDH Defines a Metabolic Subtype"):
    most of its longer words start with a capital and go on in lower case."""
    longer = [word for word in words if len(word) >= 4 and word.isalpha()]
    capitalised = sum(1 for word in longer if word[0].isupper() and word[1:].islower())
    return len(longer) >= 3 and capitalised >= 0.6 * len(longer)


@lru_cache(maxsize=65536)  # the same authors recur across a bibliography
def bibtex_author(name: str, *, latex: bool = False) -> str:
    """Write PubMed's "Surname Initials" as BibTeX's "Surname, I. N."; a group name in braces."""
    surname, initials = split_author(name)
    surname = latex_escape(surname) if latex else utf8_escape(surname)
    if initials is None:
        return "{" + surname + "}"
    given = latex_escape(given_initials(initials)) if latex else given_initials(initials)
    return f"{surname}, {given}"


def bibtex_entry(work: ExportWork, options: ExportOptions, *, latex: bool = False) -> Entry:
    """Build the bibtexparser entry of one work (values already enclosed in braces)."""
    text = latex_escape if latex else utf8_escape
    escape: Callable[[str], str] = latex_escape if latex else _translate_specials
    values: list[tuple[str, str | None]] = [
        ("title", work.title),
        ("journal", work.journal),
        # biblatex's field for the abbreviation (NLM's ISO form) that Vancouver styles print.
        ("shortjournal", work.iso_abbrev if work.iso_abbrev != work.journal else None),
        ("year", str(work.year) if work.year else None),
        ("month", None),
        ("volume", work.volume),
        ("number", work.issue),
        ("pages", work.pages),
        ("doi", work.doi),
        ("pmid", work.pmid),
        ("pmcid", work.pmcid),
        ("url", work.url),
        ("abstract", work.abstract if options.abstracts else None),
        ("keywords", _keywords(work, options)),
        ("note", "; ".join(work_notes(work, options)) or None),
    ]
    fields = []
    if work.authors:
        names = " and ".join(bibtex_author(a, latex=latex) for a in work.authors)
        names += "" if work.authors_complete else " and others"  # BibTeX's "et al."
        fields.append(Field("author", "{" + names + "}"))
    for name, value in values:
        if name == "month":
            month = _month(work)
            if month:
                fields.append(Field("month", month))  # a BibTeX macro: unbraced
        elif value:
            if name in VERBATIM:
                written = value
            elif name == "title":
                written = protect_capitals(balance_braces(value) if not latex else value, escape)
            else:
                written = text(value)
            fields.append(Field(name, "{" + written + "}"))
    # An article needs a title, a journal and a year, or classic BibTeX's styles warn; one
    # without authors (an editorial) stays an article, its journal and pages printed, and sorts
    # by `key`.
    complete = work.title and work.journal and work.year
    entry_type = "article" if complete else "misc"
    if complete and not work.authors:
        fields.append(Field("key", "{" + text((work.title or "")[:40]) + "}"))
    if work.kind in ENTRY_TYPES:  # not a journal's article: the "journal" parsed is its source
        entry_type, source = ENTRY_TYPES[work.kind]
        fields = [Field(source, f.value) if f.key == "journal" else f for f in fields]
    return Entry(entry_type, work.key, fields)


# What PubMed cannot hold, by the kind enrichment classified it as: the BibTeX entry type, and
# the field that takes what the reference's parse read as its journal (the company, the
# publisher, the meeting).
ENTRY_TYPES = {
    "data_on_file": ("misc", "howpublished"),
    "prescribing_information": ("manual", "organization"),
    "book": ("book", "publisher"),
    "congress_abstract": ("inproceedings", "booktitle"),
    "web_page": ("misc", "howpublished"),
}


def _keywords(work: ExportWork, options: ExportOptions) -> str | None:
    words = list(work.keywords) if options.keywords else []
    if work.retracted and options.retracted is Policy.mark:
        words.append("retracted")
    elif work.unverified and options.unverified is Policy.mark:
        words.append("unverified")
    return ", ".join(words) or None


def _month(work: ExportWork) -> str | None:
    number = work.month_number
    return MONTHS[number - 1] if number else None


def bibtex_library(
    works: Sequence[ExportWork], options: ExportOptions, *, latex: bool = False
) -> Library:
    """Build the bibtexparser library of the works the options select."""
    return Library([bibtex_entry(w, options, latex=latex) for w in selected(works, options)])


def export_bibtex(
    works: Sequence[ExportWork],
    options: ExportOptions | None = None,
    *,
    latex_escape: bool = False,
) -> str:
    """Write works as BibTeX text: UTF-8 for biber, or LaTeX-escaped for classic BibTeX."""
    style = BibtexFormat()  # type: ignore[no-untyped-call]
    style.indent = "  "
    style.block_separator = "\n"
    # Millions of short-lived Field objects would set off full garbage collections again and
    # again (quadratic on a large export); none of them form reference cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        library = bibtex_library(works, options or ExportOptions(), latex=latex_escape)
        # Values are enclosed by bibtex_entry: no middleware needs to copy the library.
        return write_string(library, unparse_stack=[], bibtex_format=style)
    finally:
        if collecting:
            gc.enable()
