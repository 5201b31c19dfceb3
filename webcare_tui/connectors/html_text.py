"""Turn the HTML that platforms send (Mastodon statuses, feed summaries) into plain text.

Agents read messages in a terminal, so markup must go, but what the customer meant must stay:
paragraphs stay apart, line breaks stay, and a link keeps its target when the visible text
hides it. Mentions and hashtags stay as the `@user` / `#tag` the reader saw.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

# Elements that start a new paragraph (blank line) or a new line of their own.
_PARAGRAPH = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"section", "article", "header", "footer", "figure", "hr", "dl"}
)
_LINE = frozenset({"li", "tr", "dt", "dd", "figcaption"})
# Their text is never shown to a reader.
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "area", "base", "col"})

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _same_link(text: str, href: str) -> bool:
    """True when the visible text already says where the link goes (maybe without scheme)."""

    def norm(value: str) -> str:
        value = _SCHEME.sub("", value.strip()).rstrip("/").lower()
        return value.removeprefix("www.")

    return norm(text) == norm(href)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Finished output pieces; "\n" entries are line breaks, spaces inside text are collapsed.
        self._out: list[str] = []
        # Line breaks at the end of `_out` (spaces between them do not count). Kept as we go:
        # counting them again at every block made 200,000 empty paragraphs take minutes.
        self._trailing = 0
        self._hidden = 0
        self._pre = 0
        self._has_text = False
        # One frame per open <a>: (href, classes, index into _out where its text starts).
        self._links: list[tuple[str | None, str, int]] = []

    # -- helpers -------------------------------------------------------------------------------
    def _emit(self, piece: str) -> None:
        if piece == "\n":
            self._trailing += 1
        elif piece.strip(" "):
            self._trailing = 0
        elif self._trailing:
            return  # spaces after a line break: the tidy-up drops them anyway
        self._out.append(piece)

    def _newlines(self, count: int) -> None:
        # Nested blocks do not pile up blank lines: count the breaks already at the end.
        if not self._has_text:
            return  # nothing written yet: no leading blank lines
        for _ in range(count - self._trailing):
            self._emit("\n")

    # -- HTMLParser callbacks ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag == "br":
            self._emit("\n")
        elif tag in _PARAGRAPH:
            self._newlines(2)
            if tag == "pre":
                self._pre += 1
        elif tag in _LINE:
            self._newlines(1)
            if tag == "li":
                self._emit("- ")
        elif tag == "a":
            if self._links:  # as browsers do: a link inside a link closes the first one
                self._close_link()
            values = dict(attrs)
            self._links.append((values.get("href"), values.get("class") or "", len(self._out)))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._emit(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag in _PARAGRAPH:
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            self._newlines(2)
        elif tag in _LINE:
            self._newlines(1)
        elif tag == "a" and self._links:
            self._close_link()

    def _close_link(self) -> None:
        href, classes, start = self._links.pop()
        text = "".join(self._out[start:]).strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            return
        words = classes.split()
        if "mention" in words or "hashtag" in words or text.startswith(("@", "#")):
            return  # Mastodon mentions and tags: the reader knows "@user" and "#tag"
        if not text:
            self._emit(href)
        elif _same_link(text, href):
            # Mastodon shortens long URLs with hidden spans; show the whole target.
            del self._out[start:]
            self._trailing = 0
            self._emit(href)
        else:
            self._emit(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._pre:
            for i, line in enumerate(data.split("\n")):
                if i:
                    self._emit("\n")
                if line:
                    self._emit(line)
                    self._has_text = True
            return
        text = _SPACES.sub(" ", data.replace("\n", " "))
        if text:
            self._emit(text)
            self._has_text = self._has_text or bool(text.strip())

    def result(self) -> str:
        while self._links:  # unclosed <a> at the end of a truncated document
            self._close_link()
        return _tidy("".join(self._out))


def _tidy(raw: str) -> str:
    """Collapse spaces per line, at most one blank line in a row, nothing around the edges."""
    lines = [_SPACES.sub(" ", line).strip() for line in raw.splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Plain text for an HTML fragment: blank lines between paragraphs, `<br>` as a newline.

    Entities are unescaped, `<script>`/`<style>` dropped, a link whose text differs from its
    target becomes `text (href)`, mention and hashtag links stay `@user` and `#tag`. Never
    raises on broken markup: whatever the parser recovers is returned.
    """
    if "<" not in html and "&" not in html:
        return _tidy(html)
    converter = _Converter()
    try:
        converter.feed(html)
        converter.close()
    except Exception:
        pass  # HTMLParser can still trip on pathological input; keep what it recovered
    return converter.result()
