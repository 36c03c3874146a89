"""Read Markdown as the text it shows, not its markup: headings without `#`, emphasis, links
and code without their marks (a link keeps its words, an image its alt text), list items one a
paragraph (bullets as `•`, numbers as written, so a numbered reference list reads as one), table
rows as cells joined by ` | `, and `<sup>3</sup>` as `³`, a citation number. A thematic break
(`---`) starts a new page, as it starts a new slide in Markdown decks (Marp, reveal.js); so does
a form feed. The first level-1 heading is the document's title.

markdown-it-py (CommonMark, with tables) parses it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, tidy_page_text
from evidence.ingest.readers.text import decode_text

_PARSER = MarkdownIt("commonmark").enable("table")
_SUPERSCRIPTS = str.maketrans("0123456789,-–", "⁰¹²³⁴⁵⁶⁷⁸⁹,⁻⁻")
_TAG = re.compile(r"<[^>]*>")
# A deck's settings before its first slide (Marp, reveal.js): "---\nmarp: true\n---".
# Only "key: value" lines (and their indented or listed values) between the rules: a deck that
# opens with a rule and a slide is not front matter.
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?:[\w-]+[ \t]*:.*\n(?:[ \t]+\S.*\n)*)+(?:---|\.\.\.)[ \t]*\n"
)
_SUP_OPEN = re.compile(r"<sup\b[^>]*>", re.IGNORECASE)
_SUP_CLOSE = re.compile(r"</sup\s*>", re.IGNORECASE)


def read_markdown(data: bytes) -> ExtractedText:
    """Decode Markdown bytes and read them as the text they show, page by page."""
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadProblem("empty file (only whitespace)")
    pages: list[str] = []
    title: str | None = None
    for chunk in _FRONT_MATTER.sub("", text, count=1).split("\f"):
        for blocks, heading in _pages(_PARSER.parse(chunk)):
            title = title or heading
            pages.append(tidy_page_text("\n\n".join(blocks)))
    return ExtractedText(pages=pages, title=title)


def _pages(tokens: Sequence[Token]) -> list[tuple[list[str], str | None]]:
    """Return each page's blocks of text, and its first level-1 heading."""
    pages: list[tuple[list[str], str | None]] = [([], None)]
    lists: list[Token] = []  # the lists the walk is in, innermost last
    item = ""  # the bullet or number of the list item whose first block comes next
    row: list[str] | None = None
    heading: str | None = None
    for token in tokens:
        blocks, title = pages[-1]
        if token.type == "hr":
            pages.append(([], None))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            ordered = lists and lists[-1].type == "ordered_list_open"
            item = f"{token.info}{token.markup} " if ordered else "• "
        elif token.type == "heading_open":
            heading = token.tag
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append(" | ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            words = _inline(token.children or [])
            if row is not None:
                row.append(" ".join(words.split()))
            elif words.strip():
                blocks.append(item + words.strip())
                if heading == "h1" and title is None:
                    pages[-1] = (blocks, " ".join(words.split()))
            item, heading = "", None
        elif token.type in ("fence", "code_block", "html_block"):
            shown = _TAG.sub("", token.content) if token.type == "html_block" else token.content
            if shown.strip():
                blocks.append(item + shown.strip())
            item = ""
    return pages


def _inline(children: Sequence[Token]) -> str:
    """Return the words an inline run shows: text, code, link words and image alt text."""
    shown: list[str] = []
    raised = False
    for child in children:
        if child.type in ("text", "code_inline"):
            shown.append(child.content.translate(_SUPERSCRIPTS) if raised else child.content)
        elif child.type == "image":
            shown.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            shown.append("\n")
        elif child.type == "html_inline":
            if _SUP_OPEN.fullmatch(child.content.strip()):
                raised = True
            elif _SUP_CLOSE.fullmatch(child.content.strip()):
                raised = False
    return "".join(shown)
