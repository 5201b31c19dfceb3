"""Neutralise strangers' text once, when it is stored.

Every mention is written by a stranger. Control characters could drive the terminal (CSI, OSC 52
clipboard writes, OSC 0 titles), bidi overrides could make a reply look like something else. We
keep tab and newline and drop the rest of C0, DEL, C1 and the bidi/format controls. Markup is a
separate matter: the UI renders stored text as `Text`/`Content`, never as markup.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1; bidi embeddings, overrides and isolates; marks that only
# change direction; the BOM and other invisible format characters that carry no meaning for us;
# lone surrogates (JSON's "\\ud800", an XML "&#xD800;"), which no encoder will write.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f]"
)
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC ... ST
    r"|[@-Z\\-_])"  # two-byte escapes
)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
# Almost every message is clean: one scan to prove it beats three substitutions.
_ANYTHING_TO_DO = re.compile(_UNSAFE.pattern[:-1] + "\r\u2028\u2029]")


def clean_text(text: str) -> str:
    """`text` without control, bidi or invisible format characters; line breaks become `\\n`.

    Whole escape sequences are removed, not just their ESC byte, so `ESC ] 0 ; title BEL`
    leaves nothing behind that looks like garbage.
    """
    if not text:
        return ""
    if _ANYTHING_TO_DO.search(text) is None:
        return text
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


def clean_line(text: str | None) -> str:
    """Like `clean_text`, for one-line fields (names, handles): newlines and tabs become spaces."""
    return " ".join(clean_text(text or "").split())


def cut(text: str, width: int) -> str:
    """`text` if it fits in `width` characters, else its start and an ellipsis, `width` long."""
    return text if len(text) <= width else text[: width - 1] + "…"


def first_line(text: str, width: int = 200) -> str:
    """The first non-empty line of `text`, cut to `width` characters, for a feed row."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return cut(line, width)
    return ""
