"""Numbers a claim states — patient counts, group sizes, doses, percentages, p-values — and
whether the cited paper's abstract states them too. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A number with what makes it a finding: "66例", "n = 10-11", "30mg/kg", "89.6%", "P = 0.044".
# A dose's number and unit may be joined by a hyphen, as an adjective: "an 8-mg/kg dose".
JOINED = r"\s*(?:[-‐‑–]\s*)?"
COUNT = re.compile(
    r"(?<![\d.\-])(\d{1,6})\s*(?:例|名|位|只|人|patients|subjects|participants|cases|controls"
    r"|women|men|children|mice|rats|monkeys)"
)
GROUP = re.compile(r"(?<![A-Za-z])[nN]\s*=\s*(\d{1,6})(?:\s*[-–~]\s*(\d{1,6}))?")
DOSE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?){JOINED}(mg/kg|mg|μg|µg|ug|ng|g/dL|mL|IU)\b")
PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*[%％]")
P_VALUE = re.compile(r"\b[Pp]\s*([<=>≤])\s*(0?\.\d+)")


@dataclass(frozen=True)
class StatedNumber:
    """A number a claim states, of a kind, as written."""

    kind: str  # "count", "group_size", "dose", "percentage", "p_value"
    value: str
    as_written: str


def stated_numbers(text: str) -> list[StatedNumber]:
    """Find the numbers a claim states that a paper's abstract could confirm."""
    found: list[StatedNumber] = []
    for match in COUNT.finditer(text):
        found.append(StatedNumber("count", match.group(1), match.group()))
    for match in GROUP.finditer(text):
        for value in filter(None, match.groups()):
            found.append(StatedNumber("group_size", value, match.group()))
    for match in DOSE.finditer(text):
        found.append(StatedNumber("dose", match.group(1), match.group()))
    for match in PERCENT.finditer(text):
        found.append(StatedNumber("percentage", match.group(1), match.group()))
    for match in P_VALUE.finditer(text):
        found.append(StatedNumber("p_value", match.group(2), match.group()))
    unique = {(n.kind, n.value): n for n in found}
    return list(unique.values())


WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve".split()  # noqa: SIM905
)
SUBJECTS = r"(?:patients|subjects|participants|animals|monkeys|mice|rats|cases|controls)"
UNITS = {"μg": "(?:μg|µg|ug|microg|micrograms?)", "µg": "(?:μg|µg|ug|microg|micrograms?)"}


def appears_in(number: StatedNumber, abstract: str) -> bool:
    """Tell whether the abstract states the same number (a whole number, not inside another).

    A dose is looked for with its unit; a count under ten also as a word ("six"); a bare "1"
    alone would be found anywhere, so small numbers are never matched bare.
    """
    value = number.value
    whole = rf"(?<![\d.,]){re.escape(value)}(?![\d]|\.\d)"
    if number.kind == "p_value":
        bare = value.lstrip("0")  # "0.05" is written ".05" too
        return re.search(rf"(?<![\d.])0?{re.escape(bare)}(?!\d)", abstract) is not None
    if number.kind == "dose":
        unit = number.as_written[len(value) :].lstrip(" -‐‑–")
        pattern = UNITS.get(unit, re.escape(unit))
        return re.search(rf"{whole}{JOINED}{pattern}", abstract, re.IGNORECASE) is not None
    if number.kind == "group_size":
        if re.search(rf"(?<![A-Za-z])n\s*=\s*{re.escape(value)}(?!\d)", abstract, re.IGNORECASE):
            return True
        return int(value) >= 10 and re.search(whole, abstract) is not None
    if number.kind == "count" and value.isdigit() and int(value) < len(WORDS):
        spelled = WORDS[int(value)]
        counted = rf"(?:\b{spelled}\b|{whole})\s+(?:\w+\s+){{0,2}}{SUBJECTS}"
        return re.search(counted, abstract, re.IGNORECASE) is not None
    return re.search(whole, abstract) is not None
