"""`evidence verify`: every citation's verdict and every claim's checks, as a table grouped by
slide, as JSON, or as one HTML page; `--fail-on` turns findings into a non-zero exit."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from evidence.cli.app import DocumentOption, app, console, open_engine, print_json
from evidence.db import session_scope
from evidence.errors import InputError
from evidence.verify import VerificationReport, verify
from evidence.verify.html import render_report_html

FAIL_ON = ("mismatch", "retracted", "not_found", "ambiguous", "unreferenced", "dangling", "concern")
FAIL_EXIT = 6  # findings that --fail-on names exist
COLOURS = {
    "verified": "green", "mismatch": "red", "retracted": "bold red", "ambiguous": "yellow",
    "not_found": "magenta", "not_in_pubmed": "cyan", "unchecked": "dim",
}  # fmt: skip


class ReportFormat(StrEnum):
    """How the report is printed."""

    table = "table"
    json = "json"
    html = "html"


@app.command("verify")
def verify_command(
    document: DocumentOption = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.table,
    fail_on: Annotated[
        str | None,
        typer.Option(help=f"Exit {FAIL_EXIT} when any of these exist: {','.join(FAIL_ON)}."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="The document's date (YYYY-MM-DD): flag newer papers.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """Say, for every citation and every claim, whether the evidence holds up."""
    gates = _parse_fail_on(fail_on)
    when = _parse_date(as_of)
    with session_scope(open_engine()) as session:
        report = verify(session, document_id=document, as_of=when)
    if format is ReportFormat.json:
        text = report.model_dump_json(indent=2)
        _emit(text, output, print_json_=report)
    elif format is ReportFormat.html:
        title = f"Verification of document {document}" if document else "Verification"
        _emit(render_report_html(report, title=title), output)
    else:
        print_tables(report)
    findings = report.findings()
    failing = {name: findings[name] for name in gates if findings.get(name)}
    if failing:
        said = ", ".join(f"{n} {name}" for name, n in failing.items())
        typer.echo(f"verification failed: {said}", err=True)
        raise typer.Exit(FAIL_EXIT)


def _parse_fail_on(value: str | None) -> list[str]:
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in FAIL_ON]
    if unknown:
        raise InputError(
            f"--fail-on: unknown finding {', '.join(unknown)}; use {','.join(FAIL_ON)}"
        )
    return names


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


def _emit(text: str, output: Path | None, *, print_json_: VerificationReport | None = None) -> None:
    if output is not None:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}", highlight=False)
    elif print_json_ is not None:
        print_json(print_json_.model_dump(mode="json"))
    else:
        typer.echo(text)


def print_tables(report: VerificationReport) -> None:
    """Print the citations' verdicts and the claims' checks, grouped by slide."""
    # The reference as written and what differs share the width; the rest take what they need.
    table = Table(title="Citations", expand=True)
    table.add_column("page", no_wrap=True)
    table.add_column("as written", ratio=3, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("pmid", no_wrap=True)
    table.add_column("what differs / notes", ratio=2, overflow="fold")
    for c in report.citations:
        colour = COLOURS.get(c.verdict, "white")
        details = [f"{f.field}: written {f.written}, PubMed {f.pubmed}" for f in c.fields]
        details += c.notes + ([f"candidates {', '.join(c.candidates)}"] if c.candidates else [])
        table.add_row(
            str(c.page), c.as_written, f"[{colour}]{c.verdict}[/{colour}]", c.pmid or "",
            "; ".join(details),
        )  # fmt: skip
    console.print(table)
    claims = Table(title="Claims that need a look", expand=True)
    claims.add_column("page", no_wrap=True)
    claims.add_column("claim", ratio=3, overflow="fold")
    claims.add_column("finding", ratio=2, overflow="fold")
    for claim in report.claims:
        findings = ["[red]unreferenced[/red]"] if claim.unreferenced else []
        findings += [
            f"{n.value} ({n.kind.replace('_', ' ')}): {n.status.replace('_', ' ')}"
            for n in claim.numbers
        ]
        findings += claim.notices
        findings += [f"cites newer PMID {p}" for p in claim.published_after_document]
        if findings:
            claims.add_row(str(claim.page), claim.text, "; ".join(findings))
    console.print(claims)
    for d in report.dangling:
        console.print(f"page {d.page}: dangling marker {d.label} in “{d.text}”", highlight=False)
    for r in report.uncited_references:
        console.print(f"page {r.page}: no claim cites {r.as_written}", highlight=False)
    console.print(
        ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in report.findings().items()),
        highlight=False,
    )
