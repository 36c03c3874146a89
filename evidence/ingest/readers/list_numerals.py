"""How Word's and PowerPoint's automatic lists write a number: in digits, letters (a ... z, then
aa) or Roman numerals, by Word's names for them (ECMA-376 ST_NumberFormat)."""

from __future__ import annotations

_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    )
)
MAX_WRITTEN = 10_000  # a larger number (a start no list reaches) is written in digits


def numeral(number: int, number_format: str) -> str:
    """Write a list's number: `lowerLetter`, `upperLetter`, `lowerRoman`, `upperRoman`,
    `decimalZero` (01), else in digits (decimal, and formats not known here)."""
    if not 0 < number <= MAX_WRITTEN:
        return str(number)
    if number_format == "decimalZero":
        return f"{number:02d}"
    if number_format in ("lowerLetter", "upperLetter"):
        letters = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in ("lowerRoman", "upperRoman"):
        roman = ""
        for value, written in _ROMAN:
            count, number = divmod(number, value)
            roman += written * count
        return roman.lower() if number_format == "lowerRoman" else roman
    return str(number)
