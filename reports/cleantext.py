"""Control characters out of everything the archive stores or is asked for.

XML 1.0 (Atom feeds), many CSV/BibTeX consumers and terminals cannot carry C0/C1 control
characters, and nothing a government report says needs them.  ``strip_controls`` is applied
at the boundaries: every text field of the archive's models before it is saved (a
``pre_save`` receiver, so admin forms, services, commands and the API are all covered),
the text of a new report before it is parsed (``reports.services``) and every query-string
value of a request (``config.cleaninput``).  Tab and newline stay; a carriage return
becomes a newline.  Pure: no Django.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls, lone surrogates (cannot be encoded) and the
# two non-characters XML forbids.  \r is handled first (\r\n -> \n, lone \r -> \n).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (keeps ``\\t`` and ``\\n``); non-str passes through."""
    if not isinstance(text, str) or not text:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return isinstance(text, str) and ("\r" in text or _CONTROLS.search(text) is not None)
