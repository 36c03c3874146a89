"""What most of a deck's slides repeat: a disclaimer, the meeting's name, a running footer with
the slide's number ("For scientific exchange only.", "CME 继续医学教育项目 | … 9"). It says
nothing about a slide, so it is taken out before the slides are read: where it stood as a line of
its own it became every slide's headline, and PDF extraction glues it to a bullet's end."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evidence.ingest.reference_lines import match_reference_line

BOILERPLATE_SIZE = 12  # characters: a running footer's, not a section label's ("骨破坏")


def without_boilerplate(page_texts: Sequence[str]) -> list[str]:
    """Take out what most slides repeat (a disclaimer, the meeting's name, a running footer
    with the slide's number: "For scientific exchange only.", "CME 继续医学教育项目 | … 9"),
    as a line of its own or glued to a bullet's end by PDF extraction; references aside."""
    if len(page_texts) < 3:
        return list(page_texts)
    pages_with: dict[str, int] = {}
    first_seen: dict[str, str] = {}
    for text in page_texts:
        for line in {line.strip() for line in text.split("\n") if line.strip()}:
            key = _boilerplate_key(line)
            bullet = line[:1] in "•●▪■◦·-*"  # a bullet says something, however often
            if len(key) >= BOILERPLATE_SIZE and not bullet and match_reference_line(line) is None:
                pages_with[key] = pages_with.get(key, 0) + 1
                first_seen.setdefault(key, line)
    repeated = [
        first_seen[key] for key, count in pages_with.items() if count >= len(page_texts) / 2
    ]
    if not repeated:
        return list(page_texts)
    patterns = [_phrase_pattern(line) for line in repeated]
    return [
        "\n".join(
            cut for line in text.split("\n") if (cut := _cut(line, patterns)).strip() or not line
        )
        for text in page_texts
    ]


def _boilerplate_key(line: str) -> str:
    return " ".join(re.sub(r"\d+", " ", line).split())


def _phrase_pattern(line: str) -> re.Pattern[str]:
    """Match a repeated line wherever it ends a line, whatever number it holds ("… | 9")."""
    parts = [re.escape(part) for part in re.split(r"\d+", line.strip())]
    body = r"\d*".join(parts).replace(r"\ ", r"\s*")
    return re.compile(rf"\s*{body}\s*\d*\s*$")


def _cut(line: str, patterns: list[re.Pattern[str]]) -> str:
    for pattern in patterns:
        line = pattern.sub("", line)
    return line
