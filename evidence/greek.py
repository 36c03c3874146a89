"""The Greek alphabet by the names its letters go by: MEDLINE writes "A{beta}", a title in ASCII
"Abeta", LaTeX "$\\beta$". One table for all of them, rather than Unicode's character names,
which spell λ "LAMDA".
"""

from __future__ import annotations

__all__ = ["CAPITAL", "LETTER_NAMED", "NAMES", "SMALL", "VARIANTS"]

# α (U+03B1) to ω (U+03C9), in order; ς (U+03C2) is the final sigma, with no capital of its own
# (U+03A2 is unassigned).
NAMES = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "final sigma", "sigma", "tau", "upsilon",
    "phi", "chi", "psi", "omega",
)  # fmt: skip
SMALL: dict[str, str] = {chr(0x3B1 + i): name for i, name in enumerate(NAMES)}  # "β": "beta"
CAPITAL: dict[str, str] = {
    chr(0x391 + i): name for i, name in enumerate(NAMES) if name != "final sigma"
}  # "Β": "beta"
# "beta": "β"; and "varepsilon", as MEDLINE writes ε too ("apolipoprotein E {varepsilon}4").
LETTER_NAMED: dict[str, str] = {
    name: letter for letter, name in SMALL.items() if name != "final sigma"
} | {"varepsilon": "ε"}
# The symbol forms of letters ("APOE ϵ4", "ϕ"), by the letter they are.
VARIANTS: dict[str, str] = {"ϐ": "β", "ϑ": "θ", "ϰ": "κ", "ϕ": "φ", "ϱ": "ρ", "ϖ": "π", "ϵ": "ε"}
