"""Text set in the Symbol font, as Office files keep it: the font draws Greek and mathematical
signs in place of ASCII letters (`b` is β), and Word's and PowerPoint's Insert Symbol stores its
characters at U+F000 + the font's code (U+F062 is β). Older documents carry IL-1β and TNF-α this
way; read as Unicode they would be `IL-1b` or a private-use character.
"""

from __future__ import annotations

# Adobe's Symbol encoding, codes 0x20-0x7E and the signs of 0xA0-0xFF that statistics and
# dosing use. ASCII's digits and most punctuation are themselves.
_ASCII_RANGE = (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?"
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "\u0000αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼"
)
_SIGNS = dict(
    zip(
        (0xA2, 0xA3, 0xA5, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4),
        "′≤∞↔←↑→↓°±″≥×",
        strict=True,
    )
) | dict(zip((0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xD6, 0xD7), "∝∂•÷≠≈√⋅", strict=True))
_SYMBOL = {0x20 + i: char for i, char in enumerate(_ASCII_RANGE) if char != "\u0000"} | _SIGNS
_PRIVATE_USE = 0xF000  # where Office keeps a symbol font's own codes


def symbol_character(code: int) -> str:
    """Return what the Symbol font draws for a code (0x20-0xFF, or at U+F000 + it); "" when
    it is none of the letters and signs kept here."""
    if _PRIVATE_USE <= code <= _PRIVATE_USE + 0xFF:
        code -= _PRIVATE_USE
    return _SYMBOL.get(code, "")


def symbol_font_text(text: str, *, private_use_only: bool = False) -> str:
    """Return text set in the Symbol font as the characters it shows; characters outside the
    font's codes (Chinese, say, set in Symbol by mistake) stay as they are. With
    `private_use_only`, only the characters at U+F000 + a code are the font's (PowerPoint's
    `a:sym`, which names the font of inserted symbols, not of the text around them)."""
    return "".join(
        symbol_character(ord(c)) or c
        if ord(c) >= _PRIVATE_USE or (ord(c) <= 0xFF and not private_use_only)
        else c
        for c in text
    )
