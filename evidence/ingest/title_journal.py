"""Split what a reference writes between its authors and its year into title and journal:
the journal is the last sentence, with the pieces of a dotted abbreviation ("Ann. Rheum. Dis.",
"J. Neuropathol. Exp. Neurol.") joined back, and NLM's full titles ("The Journal of
neuroscience : the official journal of ...") kept whole. For `evidence.ingest.citation`."""

from __future__ import annotations

import re

# A stop, or a closing quote after a quoted title: '"Adenovirus-Mediated ... Mice" Gene Therapy';
# or a stop a PDF's line break left glued to the journal: "…of Alzheimer's disease.Nature 570".
_SENTENCE_END = re.compile(r"[.?!][\"']?\s+|(?<=[\w)])\"\s+|(?<=[a-z]{4}\.)(?=[A-Z][a-z])")
# Nature's style ends a title with a comma: "… in APP23 mice, J. Clin. Invest." — short dotted
# words after the comma ("J.", "Ann.", "Nat. Rev.") begin the journal; a place ("Ontario,
# Canada."), an acronym ("factor, FNR.") or a company ("Elsevier, Inc.") does not.
_AFTER_COMMA = re.compile(
    r",\s+((?!(?:Inc|Ltd|Co|Corp|Pty)\.)(?:[A-Z][a-z]{0,4}\.\s+){0,2}[A-Z][a-z]{0,4}\.)$"
)
# With no stop at all, Nature's style's title in title case (all capitalised, so _journal_tail
# cannot tell it from a journal's words) and its journal after a comma:
# "A Unique Microglia Type Associated with ... Disease, Cell". The journal is at most four
# capitalised words and the title at least three words; a journal's own commas are followed by
# more of it ("Journal of Neurology, Neurosurgery, and Psychiatry": "and" is not capitalised;
# "Genes, Brain and Behavior": one word before the comma).
_JOURNAL_AFTER_COMMA = re.compile(
    r"^\S+(?:\s+\S+){2,}?,\s+((?:[A-Z][\w.'&-]*)(?:\s+[A-Z][\w.'&-]*){0,3})$"
)
# A piece of a dotted journal abbreviation: "Ann", "U.S.A", "Psychiatry Relat", "B Neuropsychiatr".
_ABBREVIATION = re.compile(
    r"(?:[A-Z][A-Za-z&\-]{0,9}|[A-Z](?:\.[A-Z])+)(?:\s[A-Z][A-Za-z&\-]{0,15}){0,2}\."
)
# A journal dotted word by word ("J. Neuropathol. Exp. Neurol.", "j. neurosci."): one word a
# piece, of any length and case.
_DOTTED_WORD = re.compile(r"[A-Za-z][A-Za-z&\-]{0,20}\.")
# Words that mark a title, not a journal, when a title runs into the journal without a stop.
_FUNCTION_WORDS = frozenset(
    {"with", "from", "into", "over", "under", "between", "among", "after", "before", "during"}
    | {"without", "their", "through", "and", "the", "for", "von", "und", "der", "des", "les"}
)
_JOURNAL_WORD = re.compile(r"(?:[A-Z][A-Za-z'\-]*[.,:]?|&|\([A-Z][a-z]*\))")
_JOURNAL_JOINER = frozenset({"and", "of", "&", "the", "for", "in", "on"})
# NLM's full title, a subtitle after " : " ("Brain : a journal of neurology"), or as writers
# copy it ("The Journal of neuroscience: the official journal of the Society for Neuroscience").
_NLM_SUBTITLE = re.compile(r"\w \: (?:[a-z]|[A-Z]{2,}\b)|\w: the (?:official )?journal of\b")


def _journal_tail(piece: str) -> int:
    """Find where a journal starts in a sentence that runs on from the title without a stop."""
    if _NLM_SUBTITLE.search(piece):
        return 0  # NLM's full title: "The Journal of neuroscience : the official journal of ..."
    tokens = [t.group() for t in re.finditer(r"\S+", piece)]
    words = (t.strip(",:;()") for t in tokens)
    if not any(re.fullmatch(r"[a-z][a-z\-]{3,}", w) and w not in _FUNCTION_WORDS for w in words):
        return 0  # only capitalised and function words: "Therapeutics and Clinical Risk ..."
    at = len(tokens)
    while at > 0:
        word = tokens[at - 1].lstrip(".")
        joins = at > 1 and word in _JOURNAL_JOINER and _JOURNAL_WORD.fullmatch(tokens[at - 2])
        if not (_JOURNAL_WORD.fullmatch(word) or joins):
            break
        at -= 1
    if at in (0, len(tokens)):
        return 0
    offsets = [m.start() for m in re.finditer(r"\S+", piece)]
    return offsets[at] + len(tokens[at]) - len(tokens[at].lstrip("."))


def split_title_journal(
    text: str, *, journal_after_comma: bool = False
) -> tuple[str | None, str | None]:
    """Split the words before the year into title and journal (the last sentence);
    `journal_after_comma`: in Nature's style, volume and pages right after the journal, which
    may follow a title in title case after a comma alone (_JOURNAL_AFTER_COMMA)."""
    text = text.strip(" ,;:(")
    if not text:
        return None, None
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    journal_at = len(starts) - 1
    single_words = " " not in text[starts[-1] :].strip()
    abbreviated = False
    lower_case = text[starts[-1] :].strip()[:1].islower()
    while journal_at > 0:
        piece = text[starts[journal_at - 1] : starts[journal_at]].strip()
        # "Ann. Rheum. Dis.": short dotted pieces join the journal; a one-word title
        # ("Vancomycin. Mayo Clin Proc") does not, unless the journal is dotted word by word.
        short = len(piece) <= 7 or single_words
        # A long dotted word ("Neuropathol.") joins only a journal plainly abbreviated
        # already ("Exp. Neurol."), not a full word's ("Perspective. Evolution.").
        dotted = (
            single_words
            and _DOTTED_WORD.fullmatch(piece) is not None
            and (len(piece) <= 11 or abbreviated)
            and (piece[:1].isupper() or lower_case)  # "j. neurosci.", not "E. coli."
        )
        if not (dotted or (short and _ABBREVIATION.fullmatch(piece))):
            break
        abbreviated = abbreviated or len(piece) <= 5
        single_words = single_words and " " not in piece
        journal_at -= 1
    start = starts[journal_at]
    if journal_at > 0 and (comma := _AFTER_COMMA.search(text[: starts[journal_at]].rstrip())):
        start = comma.start(1)
    elif journal_at == len(starts) - 1:
        tail = _journal_tail(text[start:])
        comma = _JOURNAL_AFTER_COMMA.search(text) if journal_after_comma else None
        if tail == 0 and journal_at == 0 and comma and _balanced(text[: comma.start(1)]):
            tail = comma.start(1)  # "PET Imaging of Tau Deposition in the Aging Brain, Neuron"
        start += tail
    journal = text[start:].strip(" ,;:\"'")
    if ". " not in journal:
        journal = journal.rstrip(".")
    title = text[:start].strip(" .,;:\"'")
    return title or None, journal or None


def _balanced(text: str) -> bool:
    """Tell whether every parenthesis opened in the text is closed ("(Hafner, New York" is not)."""
    return text.count("(") == text.count(")")
