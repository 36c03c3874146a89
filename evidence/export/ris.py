"""RIS (Research Information Systems) text, as EndNote, Zotero and Mendeley import it."""

from __future__ import annotations

from collections.abc import Sequence

from evidence.export import ExportOptions, ExportWork, Policy, selected, work_notes
from evidence.export.citekeys import split_author


def ris_record(work: ExportWork, options: ExportOptions) -> list[tuple[str, str]]:
    """Return one work's RIS tags and values, in the order RIS readers expect."""
    kind = RIS_TYPES.get(work.kind or "", "JOUR" if work.journal else "GEN")
    tags: list[tuple[str, str | None]] = [("TY", kind)]
    for author in work.authors:
        surname, initials = split_author(author)
        tags.append(("AU", f"{surname}, {initials}" if initials else surname))
    tags += [
        ("TI", work.title),
        ("JO", (work.iso_abbrev or work.journal) if kind == "JOUR" else None),
        ("T2", work.journal if kind in ("JOUR", "CONF") else None),
        ("PB", work.journal if kind not in ("JOUR", "CONF") else None),  # the company, publisher
        ("PY", str(work.year) if work.year else None),
        ("DA", _date(work)),
        ("VL", work.volume),
        ("IS", work.issue),
        ("SP", work.first_page or work.article_number),
        ("EP", work.last_page if work.last_page != work.first_page else None),
        ("DO", work.doi),
        ("AN", work.pmid),
        ("UR", work.url),
        ("AB", work.abstract if options.abstracts else None),
    ]
    keywords = list(work.keywords) if options.keywords else []
    if work.retracted and options.retracted is Policy.mark:
        keywords.append("retracted")
    elif work.unverified and options.unverified is Policy.mark:
        keywords.append("unverified")
    tags += [("KW", word) for word in keywords]
    if work.pmcid:
        tags.append(("N1", f"PMCID: {work.pmcid}"))
    tags += [("N1", note) for note in work_notes(work, options)]
    return [(tag, _one_line(value)) for tag, value in tags if value]


# What PubMed cannot hold, by the kind enrichment classified it as: RIS's reference type.
RIS_TYPES = {
    "data_on_file": "GEN",
    "prescribing_information": "GEN",
    "book": "BOOK",
    "congress_abstract": "CONF",
    "web_page": "ELEC",
}


def _date(work: ExportWork) -> str | None:
    """RIS's date: "2014/06//" (year, month, day, other info), as EndNote and Zotero write it."""
    if not work.year:
        return None
    month = work.month_number
    return f"{work.year}/{month:02d}//" if month else f"{work.year}///"


def _one_line(value: str) -> str:
    # A RIS value ends at the line's end: a line break inside it would start a bogus tag.
    return " ".join(value.split())


def export_ris(works: Sequence[ExportWork], options: ExportOptions | None = None) -> str:
    """Write works as RIS text, one TY ... ER record each."""
    options = options or ExportOptions()
    lines: list[str] = []
    for work in selected(works, options):
        lines += [f"{tag}  - {value}" for tag, value in ris_record(work, options)]
        lines += ["ER  - ", ""]
    # The RIS specification ends each line with a carriage return and a line feed; EndNote
    # reads either, some readers only that.
    return "\r\n".join(lines)
