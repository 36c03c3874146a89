"""Render a verification report as one self-contained HTML page a reviewer can e-mail."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from jinja2 import Environment, PackageLoader, select_autoescape

from evidence.verify.report import VerificationReport

_environment = Environment(
    loader=PackageLoader("evidence", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_report_html(report: VerificationReport, *, title: str) -> str:
    """Return the report as a single HTML page (inline styles, no scripts, no links out)."""
    claims_by_page: dict[tuple[int, int], list[object]] = defaultdict(list)
    for claim in report.claims:
        claims_by_page[(claim.document, claim.page)].append(claim)
    citations = {c.id: c for c in report.citations}
    template = _environment.get_template("report.html.j2")
    return template.render(
        title=title,
        report=report,
        findings=report.findings(),
        claims_by_page=dict(sorted(claims_by_page.items())),
        citations=citations,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
