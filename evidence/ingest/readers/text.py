"""Read plain text and Markdown: decode the bytes, then split them into pages.

Pages are split on form feeds when the text has any (pdftotext and many exports write one per
page), otherwise on runs of two or more blank lines; a single blank line separates paragraphs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, tidy_page_text

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Without a BOM, short CJK texts look like UTF-16 to charset-normalizer; we only trust a BOM.
_UNDETECTED = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
# GB2312 and GBK are subsets of GB18030; decoding as GB18030 reads every character of all three.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030"})
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.1  # real text has almost none; binary data has about an eighth
_PAGE_GAP = re.compile(r"\n{3,}")  # two or more blank lines


def read_text(data: bytes) -> ExtractedText:
    """Decode text bytes and split them into pages; plain text carries no title."""
    text = decode_text(data)
    if not text.strip():
        raise ReadProblem("empty file (only whitespace)")
    return ExtractedText(pages=split_pages(text))


def decode_text(data: bytes) -> str:
    """Decode UTF-8, BOM-marked UTF-16/32, or a detected legacy encoding; refuse binary data."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadProblem(f"cannot decode text: invalid {label} after its BOM") from exc
            return _refuse_binary(text)
    if b"\x00" in data:
        raise ReadProblem("binary file, not text (contains NUL bytes)")
    try:
        return _refuse_binary(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    match = from_bytes(data, cp_exclusion=_UNDETECTED).best()
    if match is None:
        raise ReadProblem("cannot decode text: not UTF-8 and no known encoding fits")
    encoding = codecs.lookup(match.encoding).name
    if encoding in _GB_FAMILY:
        try:
            return _refuse_binary(data.decode("gb18030"))
        except UnicodeDecodeError:
            pass  # keep charset-normalizer's own decoding
    return _refuse_binary(str(match))


def split_pages(text: str) -> list[str]:
    """Split text into tidied pages on form feeds, else on runs of two or more blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        return [tidy_page_text(chunk) for chunk in text.split("\f")]
    tidied = tidy_page_text(text)
    return _PAGE_GAP.split(tidied) if tidied else []


def _refuse_binary(text: str) -> str:
    """Return text unless it is mostly control characters."""
    if not text:
        return text
    if "\x00" in text:
        raise ReadProblem("binary file, not text (contains NUL characters)")
    controls = sum(
        1 for char in text if char not in _TEXT_CONTROLS and unicodedata.category(char) == "Cc"
    )
    if controls / len(text) > _MAX_CONTROL_SHARE:
        raise ReadProblem(f"binary file, not text ({controls / len(text):.0%} control characters)")
    return text
