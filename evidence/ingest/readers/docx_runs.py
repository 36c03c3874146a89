"""Which of Word's runs (`w:r`) hold the text as it reads now, what a run's symbols read as, and
which runs are set superscript (by their own formatting or their character style).

A paragraph's runs sit in hyperlinks, tracked insertions and moves, smart tags, fields, content
controls (citation managers' fields among them), custom XML and ruby bases, nested in any order.
Left out are the runs that are not the text as it reads: tracked deletions and the old place of
moved text (`w:del`, `w:moveFrom`), phonetic guides above East Asian text (`w:rt`), hidden text
(`w:vanish`), a content control still showing its placeholder ("Click or tap here to enter
text."), text boxes (read after their paragraph) and the copies Word writes for old readers
(`mc:Fallback`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from evidence.ingest.readers.symbol_font import symbol_character, symbol_font_text

FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_NOT_READ = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:rt"), qn("w:txbxContent"), FALLBACK})
_OFF = frozenset({"0", "false", "off"})  # an on/off property's values that mean off


def runs_read(root: Any) -> Iterator[Any]:
    """Yield the runs under `root` (a paragraph, a note) that hold its text, in order."""
    for run in root.iter(qn("w:r")):
        if _is_on(run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")):
            continue
        parent = run.getparent()
        while not (parent is root or parent.tag in _NOT_READ or _placeholder_shown(parent)):
            parent = parent.getparent()
        if parent is root:
            yield run


def words_read(root: Any) -> str:
    """Return the text of the runs read under `root`: their words and symbols, no tabs or breaks."""
    return "".join(words_read_in(run) for run in runs_read(root))


def words_read_in(run: Any) -> str:
    """Return one run's words and symbols (evidence.ingest.readers.symbol_font)."""
    symbol = is_symbol_font(run)
    return "".join(
        symbol_text(child) if child.tag == qn("w:sym") else run_words(child.text, symbol=symbol)
        for child in run.iterchildren(qn("w:t"), qn("w:sym"))
    )


def run_words(text: str | None, *, symbol: bool) -> str:
    """Return a `w:t`'s text as it shows: in the Symbol font, Greek for Latin letters."""
    return symbol_font_text(text or "") if symbol else text or ""


def is_symbol_font(run: Any) -> bool:
    """Tell whether a run's text is set in the Symbol font."""
    fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return fonts is not None and "symbol" in {
        (fonts.get(qn(f"w:{kind}")) or "").strip().lower() for kind in ("ascii", "hAnsi")
    }


def symbol_text(sym: Any) -> str:
    """Return what a `w:sym` reads as: a Symbol-font letter or sign, or a Unicode character;
    nothing for a picture font's glyph (Wingdings' ticks and arrows)."""
    try:
        code = int(sym.get(qn("w:char")) or "", 16)
    except ValueError:
        return ""
    if code >= 0xF000:  # a symbol font's own code, not Unicode
        font = (sym.get(qn("w:font")) or "").strip().lower()
        return symbol_character(code) if font == "symbol" else ""
    return chr(code) if chr(code).isprintable() else ""


def showing_placeholder(sdt: Any) -> bool:
    """Tell whether a content control (`w:sdt`) shows its placeholder rather than content."""
    return _is_on(sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}"))


def _placeholder_shown(element: Any) -> bool:
    return element.tag == qn("w:sdtContent") and showing_placeholder(element.getparent())


def _is_on(flag: Any) -> bool:
    """Read an on/off property (`<w:vanish/>`, `<w:vanish w:val="0"/>`); absent is off."""
    return flag is not None and (flag.get(qn("w:val")) or "true").lower() not in _OFF


def is_superscript(run: Any, raised_styles: frozenset[str]) -> bool:
    """Tell whether a run is set superscript: by its own formatting, else by its character
    style (a journal template's "Citation" style, say)."""
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return False
    align = properties.find(qn("w:vertAlign"))
    if align is not None:
        return bool(align.get(qn("w:val")) == "superscript")
    style = properties.find(qn("w:rStyle"))
    return style is not None and style.get(qn("w:val")) in raised_styles


def superscript_styles(document: WordDocument) -> frozenset[str]:
    """Return the ids of the character styles that set text superscript, themselves or by the
    style they are based on."""
    raised = set()
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.CHARACTER:
            continue
        based: Any = style
        while based is not None and based.font.superscript is None:
            based = based.base_style
        if based is not None and based.font.superscript:
            raised.add(style.style_id)
    return frozenset(raised)
