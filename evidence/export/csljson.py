"""CSL-JSON: the items citeproc processors (Pandoc, Zotero, citeproc-py) read."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from evidence.export import ExportOptions, ExportWork, selected, work_notes
from evidence.export.citekeys import given_initials, split_author


def csl_item(work: ExportWork, options: ExportOptions) -> dict[str, Any]:
    """Return one work as a CSL-JSON item; its id is the work's citekey."""
    item: dict[str, Any] = {
        "id": work.key,
        "type": CSL_TYPES.get(work.kind or "", "article-journal" if work.journal else "article"),
    }
    authors = []
    for author in work.authors:
        surname, initials = split_author(author)
        if initials is None:
            authors.append({"literal": surname})
        else:
            authors.append({"family": surname, "given": given_initials(initials)})
    values: dict[str, Any] = {
        "author": authors,
        "title": work.title,
        # Not a journal's article: what the reference's parse read as its journal publishes it.
        "container-title": work.journal if item["type"] in JOURNAL_LIKE else None,
        "publisher": work.journal if item["type"] not in JOURNAL_LIKE else None,
        "container-title-short": work.iso_abbrev,
        "issued": _issued(work),
        "volume": work.volume,
        "issue": work.issue,
        "page": work.pages.replace("--", "-") if work.pages else None,
        "DOI": work.doi,
        "PMID": work.pmid,
        "PMCID": work.pmcid,
        "URL": work.url,
        "abstract": work.abstract if options.abstracts else None,
        "keyword": ", ".join(work.keywords) if options.keywords and work.keywords else None,
        "note": "; ".join(work_notes(work, options)) or None,
    }
    item.update({name: value for name, value in values.items() if value})
    return item


# What PubMed cannot hold, by the kind enrichment classified it as: CSL's item type.
CSL_TYPES = {
    "data_on_file": "document",
    "prescribing_information": "document",
    "book": "book",
    "congress_abstract": "paper-conference",
    "web_page": "webpage",
}
JOURNAL_LIKE = frozenset({"article-journal", "article", "paper-conference"})


def _issued(work: ExportWork) -> dict[str, Any] | None:
    if not work.year:
        return None
    month = work.month_number
    return {"date-parts": [[work.year, month] if month else [work.year]]}


def export_csljson(works: Sequence[ExportWork], options: ExportOptions | None = None) -> str:
    """Write works as a CSL-JSON array."""
    options = options or ExportOptions()
    items = [csl_item(work, options) for work in selected(works, options)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
