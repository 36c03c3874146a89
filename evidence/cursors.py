"""What a page's cursor carries besides its place: the search or filters it belongs to, so that
a cursor passed to another search or listing is refused rather than skip or repeat rows."""

from __future__ import annotations

import hashlib
import json


def fingerprint(*asked: object) -> str:
    """Name a search or a listing (its words and filters) in a few characters."""
    return hashlib.blake2b(json.dumps(asked).encode(), digest_size=6).hexdigest()
