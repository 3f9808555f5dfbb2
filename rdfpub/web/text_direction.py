"""Keeps text from the data from turning the text direction of the page around it (Unicode bidi isolation).

A title may hold a right-to-left override (U+202E) or an isolate it never closes; printed as it is,
it reverses what follows it on the page, a link's text included. Every value a template prints
passes through `isolate` (the Jinja environment's finalize hook), so no template can forget it."""

from __future__ import annotations

import re

from markupsafe import Markup

FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate
_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolate(value):
    """A value holding bidi controls, wrapped in an isolate that ends them all (UAX #9, rule X6a: a
    PDI ends every embedding and override begun since its isolate), its own isolates closed and any
    PDI that would close one outside it dropped. Other values come back as they are."""
    if not isinstance(value, str) or not _CONTROLS.search(value):
        return value
    kept, open_isolates = [], 0
    for character in value:
        if character in _OPENS_ISOLATE:
            open_isolates += 1
        elif character == PDI:
            if not open_isolates:
                continue
            open_isolates -= 1
        kept.append(character)
    text = FSI + "".join(kept) + PDI * open_isolates + PDI
    # Markup (text a filter has escaped already) stays Markup: these characters need no escaping.
    return Markup(text) if isinstance(value, Markup) else text
