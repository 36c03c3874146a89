"""What NCBI sends with status 200 when something went wrong, told from a real answer.

E-utilities answer many failures with HTTP 200: an <ERROR> element, an "error" key, an
esearchresult ERROR, a field it did not know, an HTML maintenance page, a body cut short. Each
check returns the `Failure` to retry or report, or None for a real answer; `EUtilsTransport`
decides what to do with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from evidence.errors import ExternalServiceError, PubMedError

__all__ = ["Expect", "Failure", "check_body"]

Expect = Literal["xml", "json", "text"]


@dataclass(frozen=True)
class Failure:
    """One failed attempt: what happened, what to raise if it is the last, how often to retry."""

    problem: str
    kind: str = "transient"  # failures of one kind are counted together
    error: type[ExternalServiceError] = ExternalServiceError
    retry_after: float | None = None
    tries: int | None = None  # answers of this kind taken before giving up; None: the policy's


def check_body(body: bytes, expect: Expect) -> Failure | None:
    """Find the errors NCBI sends with status 200; None when the body is a real answer."""
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        # A maintenance or error page in place of the answer: worth one more try, not five.
        return Failure("an HTML page instead of an answer", "html", PubMedError, tries=2)
    if expect == "xml":
        return _check_xml(body)
    if expect == "json":
        if head.startswith(b"<"):  # an XML answer to a JSON request: report its <ERROR>
            failure = _check_xml(body)
            return failure or Failure("XML instead of JSON", "cut", PubMedError, tries=2)
        return _check_json(body)
    return None


def _check_xml(body: bytes) -> Failure | None:
    root = re.search(rb"<([A-Za-z][\w.-]*)[\s/>]", re.sub(rb"<[?!][^>]*>", b"", body[:4096]))
    if root is None:
        return Failure("no XML in the answer", "cut", PubMedError, tries=2)
    name = root.group(1)
    if name != b"PubmedArticleSet" and (errors := re.findall(rb"<ERROR>(.*?)</ERROR>", body)):
        message = "; ".join(e.decode("utf-8", "replace").strip() for e in errors)
        # "Search Backend failed", "Unable to obtain query": NCBI's own trouble, retried.
        transient = re.search(r"backend|temporar|unavailable|try again|timeout", message, re.I)
        return Failure(f"<ERROR> {message}", "error", PubMedError, tries=None if transient else 1)
    stripped = body.rstrip()
    closed = stripped.endswith(b"</" + name + b">")
    if not (closed or re.search(rb"<" + name + rb"\b[^>]*/>$", stripped)):
        problem = f"XML cut short (no closing </{name.decode()}>)"
        return Failure(problem, "cut", PubMedError, tries=2)
    return None


def _check_json(body: bytes) -> Failure | None:
    try:
        data = json.loads(body)
    except ValueError:
        return Failure("JSON cut short or malformed", "cut", PubMedError, tries=2)
    if not isinstance(data, dict):
        return Failure("JSON answer is not an object", "error", PubMedError, tries=1)
    if "error" in data:
        message = str(data["error"])
        if "rate limit" in message.lower():  # NCBI's 429 in a 200: back off and try again
            return Failure(f"JSON error {message!r}")
        return Failure(f"JSON error {message!r}", "error", PubMedError, tries=1)
    result = data.get("esearchresult")
    if isinstance(result, dict):
        if "ERROR" in result:
            return Failure(f"ESearch ERROR {result['ERROR']!r}", "error", PubMedError, tries=1)
        # A phrase not found is an empty answer; a field not found means NCBI dropped part of
        # the query and answered a looser one, which we must not take for the query we sent.
        fields = (result.get("errorlist") or {}).get("fieldsnotfound") or []
        if fields:
            return Failure(f"ESearch fields not found: {fields}", "error", PubMedError, tries=1)
    return None
