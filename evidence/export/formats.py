"""The export formats by name, with what a download needs: the text, its media type and a
file name. The CLI and the API both write through `render`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from evidence.export import ExportOptions, ExportWork
from evidence.export.bibtex import export_bibtex
from evidence.export.csljson import export_csljson
from evidence.export.ris import export_ris


class ExportFormat(StrEnum):
    """The file formats reference managers read."""

    bibtex = "bibtex"
    ris = "ris"
    csljson = "csljson"

    @property
    def media_type(self) -> str:
        """Return the format's registered (or customary) media type, UTF-8."""
        return MEDIA_TYPES[self] + "; charset=utf-8"

    @property
    def suffix(self) -> str:
        """Return the file name suffix reference managers expect."""
        return SUFFIXES[self]


MEDIA_TYPES = {
    ExportFormat.bibtex: "application/x-bibtex",
    ExportFormat.ris: "application/x-research-info-systems",
    ExportFormat.csljson: "application/vnd.citationstyles.csl+json",
}
SUFFIXES = {ExportFormat.bibtex: ".bib", ExportFormat.ris: ".ris", ExportFormat.csljson: ".json"}


def render(
    works: Sequence[ExportWork],
    format: ExportFormat,
    options: ExportOptions | None = None,
    *,
    latex: bool = False,
) -> str:
    """Write the works in a format; `latex` escapes BibTeX for classic bibtex (ASCII)."""
    if format is ExportFormat.bibtex:
        return export_bibtex(works, options, latex_escape=latex)
    if format is ExportFormat.ris:
        return export_ris(works, options)
    return export_csljson(works, options)
