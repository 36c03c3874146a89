"""What narrows a search besides its words: a topic, a document, a citation's verdict or PMID."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from evidence.documents import UNCHECKED
from evidence.errors import InputError
from evidence.models import Citation, Claim, ClaimCitation, Paper
from evidence.verify.verdicts import VERDICTS


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words. `topic` is a part of a claim's topic, unless
    `whole_topic`: then it is the topic (`filters_for` decides)."""

    topic: str | None = None
    document_id: int | None = None
    verdict: str | None = None
    pmid: str | None = None
    whole_topic: bool = False

    def conditions(self) -> list[ColumnElement[bool]]:
        """Return the conditions on `claim` (which the query must join) these filters make."""
        where: list[ColumnElement[bool]] = []
        if self.topic and self.whole_topic:
            where.append(col(Claim.topic) == self.topic)
        elif self.topic:
            where.append(col(Claim.topic).contains(self.topic, autoescape=True))
        if self.document_id is not None:
            where.append(col(Claim.document_id) == self.document_id)
        if self.verdict or self.pmid:
            cited = select(ClaimCitation.claim_id).join(
                Citation, col(Citation.id) == col(ClaimCitation.citation_id)
            )
            if self.verdict:
                cited = cited.where(citation_verdict_is(self.verdict))
            if self.pmid:
                cited = cited.join(Paper, col(Paper.id) == col(Citation.paper_id)).where(
                    col(Paper.pmid) == self.pmid
                )
            where.append(col(Claim.id).in_(cited))
        return where


def filters_for(
    session: Session,
    *,
    topic: str | None = None,
    document_id: int | None = None,
    verdict: str | None = None,
    pmid: str | None = None,
) -> Filters:
    """Return the filters, a topic as a claim has it taken whole: `骨破坏` picked from a list
    of topics is that topic, not `抑制骨破坏` too; a part of one (`破坏`) finds every topic that
    holds it."""
    whole = (
        bool(topic)
        and session.exec(select(Claim.id).where(col(Claim.topic) == topic).limit(1)).first()
        is not None
    )
    return Filters(topic, document_id, verdict, pmid, whole_topic=whole)


def citation_verdict_is(verdict: str) -> ColumnElement[bool]:
    """Return the condition that a citation has this verdict; a citation never verified counts
    as "unchecked". Raise InputError for a verdict that is not one."""
    if verdict not in VERDICTS:
        raise InputError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if verdict == UNCHECKED:  # no verdict yet: not checked either
        return or_(col(Citation.verdict) == verdict, col(Citation.verdict).is_(None))
    return col(Citation.verdict) == verdict
