"""The text of a SmartArt graphic (a process, a cycle, a hierarchy: how decks draw pathways
such as IL-6 → 铁调素 → 贫血). python-pptx sees a SmartArt graphic as a graphic frame without
text; its words are in the slide's diagram data part (`dgm:dataModel`), as points joined by
parent-of connections. Each content point (a node, or an assistant) gives one line, in reading
order: from the diagram's root down, siblings by their order (`srcOrd`), since the list of points
keeps the order in which they were made rather than the one shown. Points that only lay out the
drawing (presentation and transition points) carry no words and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from lxml import etree
from pptx.shapes.graphfrm import GraphicFrame

DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main", "dgm": DIAGRAM}
_DATA_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}dm"
_CONTENT = frozenset({"node", "asst"})  # a point without a type is a node
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def is_smartart(frame: GraphicFrame) -> bool:
    """Tell whether a graphic frame holds a SmartArt graphic."""
    return bool(frame._element.graphicData_uri == DIAGRAM)


def smartart_text(frame: GraphicFrame) -> str:
    """Return the lines of a SmartArt graphic's nodes in reading order ("" when its data part
    is missing)."""
    relations = frame._element.graphicData.find(f"{{{DIAGRAM}}}relIds")
    data_id = None if relations is None else relations.get(_DATA_ID)
    if data_id is None or data_id not in frame.part.rels:
        return ""
    model = etree.fromstring(frame.part.related_part(data_id).blob, _PARSER)
    return "\n".join(_in_reading_order(model))


def _in_reading_order(model: Any) -> list[str]:
    """Return the content points' texts: depth first from the roots, children by srcOrd; any
    point no connection reaches follows, in the order listed."""
    points = model.xpath("./dgm:ptLst/dgm:pt", namespaces=_NS)
    texts = {point.get("modelId"): _point_text(point) for point in points}
    content = [p.get("modelId") for p in points if p.get("type", "node") in _CONTENT]
    children: dict[str, list[tuple[int, str]]] = defaultdict(list)
    has_parent: set[str] = set()
    for cxn in model.xpath("./dgm:cxnLst/dgm:cxn", namespaces=_NS):
        if cxn.get("type", "parOf") == "parOf" and cxn.get("destId") in texts:
            children[cxn.get("srcId")].append((int(cxn.get("srcOrd") or 0), cxn.get("destId")))
            has_parent.add(cxn.get("destId"))
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(model_id: str) -> None:
        if model_id in seen:
            return  # a connection list that loops is read once
        seen.add(model_id)
        ordered.append(model_id)
        for _, child in sorted(children.get(model_id, [])):
            visit(child)

    for point in points:
        if point.get("modelId") not in has_parent:
            visit(point.get("modelId"))
    ordered += [model_id for model_id in content if model_id not in seen]
    wanted = set(content)
    return [texts[i] for i in ordered if i in wanted and texts[i]]


def _point_text(point: Any) -> str:
    """Return a point's paragraphs, each on its own, joined by a space (a node is one label)."""
    paragraphs = point.xpath("./dgm:t/a:p", namespaces=_NS)
    words = ("".join(p.xpath(".//a:t/text()", namespaces=_NS)) for p in paragraphs)
    return " ".join(" ".join(text.split()) for text in words if text.strip())
