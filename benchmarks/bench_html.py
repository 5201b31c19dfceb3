"""How long `html_to_text` takes on 1 MB of markup: run `python benchmarks/bench_html.py`.

A hostile server can send any markup it likes in a status or a feed summary; what matters is
that the time grows with the size of the markup, not with its square. Prints, per shape, the
time for about 1 MB and for about 4 MB (the ratio should stay near 4). Nothing is asserted.
"""

from __future__ import annotations

import time

from webcare_tui.connectors.html_text import html_to_text

MB = 1_000_000
SHAPES = {
    "a status as Mastodon writes it": (
        '<p><span class="h-card"><a href="https://x.example/@a" class="u-url mention">@'
        "<span>a</span></a></span> waar blijft mijn krant? "
        '<a href="https://x.example/tags/krant" class="mention hashtag">#<span>krant</span></a>'
        "</p>"
    ),
    "empty paragraphs with a space": "<p> </p>",
    "line breaks in paragraphs": "<p><br></p>",
    "nested unclosed links": '<a href="https://x.example/">x',
    "list items": "<li></li>",
    "preformatted lines": "<pre>a\n</pre>",
}


def seconds_for(markup: str) -> float:
    start = time.perf_counter()
    html_to_text(markup)
    return time.perf_counter() - start


def main() -> None:
    print("html_to_text, by shape of markup: 1 MB, 4 MB, ratio (linear is about 4)")
    for name, unit in SHAPES.items():
        one = "<p>hello</p>" + unit * (MB // len(unit))
        four = "<p>hello</p>" + unit * (4 * MB // len(unit))
        small, large = seconds_for(one), seconds_for(four)
        print(f"  {name:<32} {small * 1000:8.0f} ms  {large * 1000:8.0f} ms  {large / small:5.1f}")


if __name__ == "__main__":
    main()
