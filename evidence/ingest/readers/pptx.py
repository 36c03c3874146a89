"""Read PowerPoint (.pptx): one page per slide, with python-pptx.

A slide's page is the title, then every other shape top-to-bottom and left-to-right (groups,
tables, charts and SmartArt graphics included), then the footer, then the speaker notes; blocks
are separated by a blank line. Date and slide-number placeholders are left out: they carry no
claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from pptx import Presentation
from pptx.chart.chart import Chart
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.slide import Slide
from pptx.table import Table
from pptx.text.text import _Paragraph

from evidence.ingest.readers.extraction import ExtractedText, ReadProblem, describe_exception
from evidence.ingest.readers.pptx_bullets import LEFT_OUT, TITLES, AutoNumbers, bullet_of
from evidence.ingest.readers.pptx_smartart import is_smartart, smartart_text
from evidence.ingest.readers.superscripts import joined
from evidence.ingest.readers.symbol_font import symbol_font_text
from evidence.ingest.reference_lines import reads_as_listed_reference

_BULLET_GLYPHS = ("•", "●", "▪", "■", "◦", "·")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MATH = "{http://schemas.microsoft.com/office/drawing/2010/main}m"  # an equation (Office 2010)
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_NO_PROPERTIES = parse_xml(f"<a:rPr {nsdecls('a')}/>")  # a run without its own


def read_pptx(data: bytes) -> ExtractedText:
    """Extract each slide's text (title, shapes, footer, notes) and the core-properties title."""
    try:
        presentation = Presentation(BytesIO(data))
        for slide in presentation.slides:
            choose_alternate_content(slide._element)
        pages = [_slide_text(slide) for slide in presentation.slides]
        title = presentation.core_properties.title
    except Exception as exc:  # python-pptx raises zip, XML, key and value errors on damaged files
        raise ReadProblem(f"corrupt or not a .pptx file ({describe_exception(exc)})") from exc
    if not any(page.strip() for page in pages):
        raise ReadProblem("presentation has no text (its slides may be images only)")
    return ExtractedText(pages=pages, title=title)


def _slide_text(slide: Slide) -> str:
    """Return one slide's text blocks joined by blank lines."""
    titles: list[BaseShape] = []
    footers: list[BaseShape] = []
    others: list[BaseShape] = []
    for shape in slide.shapes:
        kind = _placeholder_type(shape)
        if kind in TITLES:
            titles.append(shape)
        elif kind == PP_PLACEHOLDER.FOOTER:
            footers.append(shape)
        elif kind not in LEFT_OUT:
            others.append(shape)
    blocks = [_plain_lines(shape) for shape in titles]
    blocks += [block for shape in _reading_order(others) for block in _shape_blocks(shape, slide)]
    blocks += [_plain_lines(shape) for shape in footers]
    blocks.append(_notes_text(slide))
    return "\n\n".join(block for block in blocks if block)


def choose_alternate_content(element: Any) -> None:
    """Read what PowerPoint shows. A shape using a feature newer than Office 2007 (an equation,
    above all) is written twice, in mc:Choice for readers that know the feature and in
    mc:Fallback for those that do not, where a picture of the shape replaces its text. Each
    choice's content takes the place of the whole, so its text is read like any shape's."""
    for alternate in list(element.iter(f"{_MC}AlternateContent")):
        parent = alternate.getparent()
        if parent is None:  # inside a fallback taken out before it
            continue
        chosen = alternate.find(f"{_MC}Choice")
        if chosen is None or not len(chosen):
            chosen = alternate.find(f"{_MC}Fallback")
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(chosen) if chosen is not None else []):
            parent.insert(index + offset, child)


def _placeholder_type(shape: BaseShape) -> PP_PLACEHOLDER | None:
    """Return a placeholder's type, or None for an ordinary shape."""
    return shape.placeholder_format.type if shape.is_placeholder else None


def _reading_order(shapes: Iterable[BaseShape]) -> list[BaseShape]:
    """Sort shapes top-to-bottom, then left-to-right."""
    return sorted(shapes, key=lambda shape: (shape.top or 0, shape.left or 0))


def _shape_blocks(shape: BaseShape, slide: Slide) -> list[str]:
    """Return the text blocks of one shape; a group gives one block per member."""
    if isinstance(shape, GroupShape):
        members = _reading_order(shape.shapes)
        return [block for member in members for block in _shape_blocks(member, slide)]
    if isinstance(shape, GraphicFrame) and shape.has_table:
        return [_table_text(shape.table)]
    if isinstance(shape, GraphicFrame) and shape.has_chart:
        return [_chart_text(shape.chart)]
    if isinstance(shape, GraphicFrame) and is_smartart(shape):
        return [smartart_text(shape)]
    if not shape.has_text_frame:
        return []
    lines = []
    numbers = AutoNumbers()  # PowerPoint's automatic numbers, counted through the shape
    for paragraph in shape.text_frame.paragraphs:  # type: ignore[attr-defined]
        text = _text(paragraph).strip("\v\n")
        if not text.strip():
            continue
        bullet = bullet_of(paragraph, shape, slide)
        number = numbers.label(bullet, paragraph.level)  # counted, numbered or not
        if number and reads_as_listed_reference(text):
            text = number + text  # a number shown only on references, as if typed
        elif bullet is not None and not text.lstrip().startswith(_BULLET_GLYPHS):
            text = "• " + text
        lines.append(text)
    return ["\n".join(lines)]


def _plain_lines(shape: BaseShape) -> str:
    """Return a text shape's non-empty paragraphs as lines, without bullets."""
    if not shape.has_text_frame:
        return ""
    paragraphs = shape.text_frame.paragraphs  # type: ignore[attr-defined]
    return "\n".join(text for text in map(_text, paragraphs) if text.strip())


def _text(paragraph: _Paragraph) -> str:
    """Return a paragraph's text as python-pptx reads it (`a:br` as a vertical tab), with
    citation numbers set superscript as Unicode superscripts (readers.superscripts) and text
    set in the Symbol font as the Greek and signs it shows (readers.symbol_font)."""
    children: Sequence[Any] = paragraph._p.content_children
    fonts = [_symbol_font(child) for child in children]
    raised = [_raised(child) for child in children]
    if paragraph._p.find(_MATH) is not None:  # the equation's text in its place among the runs
        children = [child for child in paragraph._p if child in children or child.tag == _MATH]
        fonts = [None if child.tag == _MATH else _symbol_font(child) for child in children]
        raised = [child.tag != _MATH and _raised(child) for child in children]
    elif not any(fonts) and not any(raised):
        return paragraph.text
    texts = [
        _child_text(child)
        if font is None
        else symbol_font_text(child.text, private_use_only=font == "sym")
        for child, font in zip(children, fonts, strict=True)
    ]
    return joined(zip(texts, raised, strict=True))


def _child_text(child: Any) -> str:
    """Return a paragraph's run, break, field or equation as text (an equation: its letters,
    numbers and signs in the order written, without its layout)."""
    if child.tag == _MATH:
        return "".join(text.text or "" for text in child.iter(_MATH_TEXT))
    return str(child.text)


def _raised(child: Any) -> bool:
    """Tell whether a paragraph's run is set superscript (a positive baseline shift)."""
    baseline = _run_properties(child).get("baseline")
    return baseline is not None and baseline.lstrip("-").isdigit() and int(baseline) > 0


def _symbol_font(child: Any) -> str | None:
    """Return how a paragraph's run is set in the Symbol font: "latin" (its text), "sym" (only
    the symbols inserted in it), or None."""
    properties = _run_properties(child)
    for kind in ("latin", "sym"):
        fonts = properties.xpath(f"./a:{kind}/@typeface")
        if any(font.strip().lower() == "symbol" for font in fonts):
            return kind
    return None


def _run_properties(child: Any) -> Any:
    found = child.find(qn("a:rPr")) if child.tag == qn("a:r") else None
    return found if found is not None else _NO_PROPERTIES


def _table_text(table: Table) -> str:
    """Return a table as one line per row, its non-empty cells joined by " | "."""
    rows = []
    for row in table.rows:
        cells = [
            " ".join(" ".join(map(_text, cell.text_frame.paragraphs)).split())
            for cell in row.cells
            if not cell.is_spanned
        ]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            rows.append(line)
    return "\n".join(rows)


def _chart_text(chart: Chart) -> str:
    """Return a chart's title, then one line per series: its name and each category's value
    (`ACR20 (%) | 托珠单抗: 59 | 安慰剂: 26`), as a table row would read."""
    lines = []
    if chart.has_title and chart.chart_title.has_text_frame:
        title = " ".join(chart.chart_title.text_frame.text.split())
        if title:
            lines.append(title)
    for plot in chart.plots:
        categories = [str(label) for label in plot.categories]
        for series in plot.series:
            values = [_number(v) for v in series.values]
            cells = [
                f"{c}: {v}" if c else v
                for c, v in zip(categories, values, strict=False)
                if v  # a missing point says nothing
            ]
            lines.append(" | ".join([series.name or "", *cells]).strip(" |"))
    return "\n".join(line for line in lines if line)


def _number(value: float | None) -> str:
    """Write a chart value as people do: 59, not 59.0; nothing for a missing point."""
    if value is None:
        return ""
    return f"{value:g}"


def _notes_text(slide: Slide) -> str:
    """Return the speaker notes of a slide, or an empty string."""
    if not slide.has_notes_slide:
        return ""
    choose_alternate_content(slide.notes_slide._element)
    frame = slide.notes_slide.notes_text_frame
    if frame is None:
        return ""
    return "\n".join(text for text in map(_text, frame.paragraphs) if text.strip())
