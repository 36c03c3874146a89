"""`evidence export`: the cited works as BibTeX, RIS or CSL-JSON, for reference managers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from evidence.cli.app import DocumentOption, app, console, err_console, open_engine
from evidence.errors import InputError
from evidence.export import ExportOptions, Policy, select_works
from evidence.export.formats import ExportFormat, render
from evidence.search import PAPER_CAP


@app.command("export")
def export_command(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.bibtex,
    document: DocumentOption = None,
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="Only works cited by claims found so.")
    ] = None,
    topic: Annotated[
        str | None, typer.Option(help="Only works cited by claims whose topic contains this.")
    ] = None,
    verdict: Annotated[
        str | None, typer.Option(help="Only works cited with this verdict (e.g. mismatch).")
    ] = None,
    claim: Annotated[
        int | None, typer.Option("--claim", help="Only works cited by this claim (its id).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    abstracts: Annotated[bool, typer.Option(help="Include abstracts.")] = False,
    keywords: Annotated[bool, typer.Option(help="Include PubMed's keywords.")] = False,
    latex: Annotated[
        bool, typer.Option(help='BibTeX: escape for classic BibTeX (ASCII, {\\"o}).')
    ] = False,
    status: Annotated[
        bool, typer.Option(help="Add each work's verdict and when PubMed was checked.")
    ] = False,
    exclude_retracted: Annotated[bool, typer.Option(help="Leave retracted works out.")] = False,
    mark_retracted: Annotated[bool, typer.Option(help="Mark retracted works.")] = False,
    exclude_unverified: Annotated[
        bool, typer.Option(help="Leave out works no check confirmed (retracted aside).")
    ] = False,
    mark_unverified: Annotated[bool, typer.Option(help="Mark works no check confirmed.")] = False,
) -> None:
    """Write every distinct cited work (resolved or not) for a reference manager."""
    options = ExportOptions(
        abstracts=abstracts,
        keywords=keywords,
        status=status,
        retracted=_policy("retracted", exclude_retracted, mark_retracted),
        unverified=_policy("unverified", exclude_unverified, mark_unverified),
    )
    with Session(open_engine()) as session:
        selection = select_works(
            session,
            document_id=document,
            query=query,
            claim_id=claim,
            topic=topic,
            verdict=verdict,
        )
    if selection.evidence_capped:
        err_console.print(
            f"note: a word of the query is in more than {PAPER_CAP} papers; works cited only by"
            " claims found through older ones may be missing (--document makes it exact)",
            highlight=False,
        )
    text = render(selection.works, format, options, latex=latex)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {len(selection.works)} works to {output}", highlight=False)


def _policy(what: str, exclude: bool, mark: bool) -> Policy:
    if exclude and mark:
        raise InputError(f"--exclude-{what} and --mark-{what} cannot go together")
    return Policy.exclude if exclude else Policy.mark if mark else Policy.keep
