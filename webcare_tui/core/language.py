"""Which language a draft is in, Dutch or English, told from its function words.

Deliberately small and transparent: it counts words that only one of the two languages uses
("de", "het", "niet" against "the", "not", "you") and picks the clear winner. Words both
languages use ("we", "is", "in", "of", "me", "had", "was", "over") count for neither. A draft
with too few telling words, or no clear winner, gets the `fallback` (the language of the
customer's messages), which may be None.
"""

from __future__ import annotations

import regex


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NL_WORDS = _words(
    """
    de het een en van ik je jij jou jouw u uw wij ons onze niet dat die dit deze er op met
    voor naar maar ook nog wel als bij om dan kan kun kunt kunnen graag bedankt dank hebben
    heb hebt heeft hadden zijn waren wordt worden geen wat hoe waar wanneer waarom welke ja
    nee zo al helaas gelukkig toch nu hier daar morgen vandaag gisteren alvast natuurlijk
    want omdat doordat mijn zal zullen wil willen moet moeten mag krijg krijgt ga gaat gaan
    komt sinds tot uur bent ben mee aan uit zich zelf iets niets niks alles wie hem haar hun
    """
)
EN_WORDS = _words(
    """
    the a an and i you your yours our ours us not that this these those with for to but also
    still at then can could would should please thanks thank have has are were be been being
    it it's its they their them what how where when why which yes no so just here there
    tomorrow today yesterday will shall may might must get got going do does did don't
    didn't can't won't we've we're we'll i'm i've i'll you're you've you'll from by about if
    or than sure really anything nothing everything who him her his she he my any some
    """
)
_WORD = regex.compile(r"[\p{L}]+(?:['’][\p{L}]+)?")
MIN_WORDS = 3  # fewer telling words than this: trust the thread's language instead
_MARGIN = 1.5  # the winner needs half as many telling words again as the other language


def detect_language(text: str, fallback: str | None = None) -> str | None:
    """ "nl" or "en" for `text`; `fallback` when the text is too short or too mixed to tell."""
    nl = en = 0
    for match in _WORD.finditer(text):
        word = match.group().casefold().replace("’", "'")
        nl += word in NL_WORDS
        en += word in EN_WORDS
    if nl + en < MIN_WORDS:
        return fallback
    if nl >= en * _MARGIN and nl > en:
        return "nl"
    if en >= nl * _MARGIN and en > nl:
        return "en"
    return fallback
