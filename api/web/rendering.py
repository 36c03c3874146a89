"""How the web pages are drawn: one Jinja2 environment (autoescaped), the helpers templates use,
and a route class whose errors are HTML pages with their status, not the API's JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader

from api.errors import describe_validation
from evidence.errors import EvidenceError
from evidence.export import VERDICT_ORDER
from evidence.web_views import worst_verdict

VERDICT_HINTS = {
    "verified": "PubMed has it and every field written agrees",
    "mismatch": "PubMed has it, but a field written differs",
    "retracted": "PubMed marks the paper retracted",
    "ambiguous": "several PubMed records fit",
    "not_found": "looked up in PubMed and not there",
    "not_in_pubmed": "a kind of reference PubMed does not hold",
    "unchecked": "not looked up yet, or only offline",
}


def link(path: str, **params: object) -> str:
    """Return `path` with the parameters that have a value as its query string."""
    given = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(given)}" if given else path


def pubmed_url(pmid: str) -> str:
    """Return a paper's PubMed page."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def doi_url(doi: str) -> str:
    """Return a DOI's resolver address."""
    return f"https://doi.org/{doi}"


def verdict_label(verdict: str | None) -> str:
    """Return a verdict as people read it: `not_in_pubmed` → `not in PubMed`."""
    return (verdict or "unchecked").replace("_", " ").replace("pubmed", "PubMed")


environment = Environment(
    loader=PackageLoader("api.web", "templates"),
    autoescape=True,  # every value is escaped; the one exception is marked where it is used
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    link=link,
    pubmed_url=pubmed_url,
    doi_url=doi_url,
    verdicts=VERDICT_ORDER,  # worst first
    verdict_hints=VERDICT_HINTS,
    worst_verdict=worst_verdict,
)
environment.filters["verdict_label"] = verdict_label
templates = Jinja2Templates(env=environment)


def render_page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> Response:
    """Render a template as an HTML response."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)


ERROR_TITLES = {
    401: "A key is needed", 403: "Not allowed here", 404: "Not found", 413: "Too large",
    415: "Not a format evidence reads", 422: "Bad request",
}  # fmt: skip


def error_page(
    request: Request,
    error: EvidenceError | RequestValidationError,
    *,
    link: tuple[str, str] | None = None,
) -> Response:
    """Render an error as an HTML page with its status, and a `link` (address, words) to what
    the reader can go on with, when there is one."""
    if isinstance(error, RequestValidationError):
        status, message = 422, describe_validation(error)
    else:
        status, message = error.http_status, error.message
    title = ERROR_TITLES.get(status, "Something went wrong")
    page = render_page(
        request, "error.html.j2", status_code=status, title=title, message=message, link=link
    )
    page.headers.update(getattr(error, "headers", None) or {})  # a login prompt's challenge
    return page


class HtmlRoute(APIRoute):
    """A page's route: evidence's errors and bad parameters become HTML error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_page(request: Request) -> Response:
            try:
                return await handle(request)
            except (EvidenceError, RequestValidationError) as error:
                return error_page(request, error)

        return handle_page
