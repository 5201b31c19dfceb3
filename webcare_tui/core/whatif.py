"""What-if: the response clock under other windows or hours, to recompute stored history.

`report --what-if first_response=2h --what-if hours="mon-fri 08:00-20:00"` asks what the report
would have said had the team promised that instead. Keys: `first_response`, `next_response`,
`follow_up` (durations such as `90m`, `2h`, `1d`), `hours` (open hours, or `always` for round
the clock) and `channel` (apply the change to that channel only; otherwise to every window).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.hours import OpenHours, WindowLength, parse_duration, parse_hours

KEYS = ("first_response", "next_response", "follow_up", "hours", "channel")
_ALWAYS = ("always", "24/7", "round the clock")


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Changed settings; None leaves a setting as configured. `round_the_clock` drops hours."""

    first_response: WindowLength | None = None
    next_response: WindowLength | None = None
    follow_up: WindowLength | None = None
    hours: OpenHours | None = None
    round_the_clock: bool = False
    channel: str | None = None

    def describe(self) -> str:
        """`first_response=2h, hours=mon-fri 08:00-20:00 (bluesky only)`."""
        parts = [
            f"{name}={value}"
            for name in ("first_response", "next_response", "follow_up", "hours")
            if (value := getattr(self, name)) is not None
        ]
        if self.round_the_clock:
            parts.append("hours=always")
        text = ", ".join(parts)
        return f"{text} ({self.channel} only)" if self.channel else text


def parse_what_if(items: Sequence[str]) -> WhatIf:
    """Parse `KEY=VALUE` items; raises ValueError naming the item that is wrong."""
    values: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key, raw = key.strip().lower(), raw.strip().strip("\"'").strip()
        if not sep or key not in KEYS:
            raise ValueError(f"--what-if takes KEY=VALUE with KEY one of {', '.join(KEYS)}")
        if not raw:
            raise ValueError(f"--what-if {key}= needs a value")
        try:
            if key == "channel":
                values[key] = raw
            elif key == "hours":
                if raw.lower() in _ALWAYS:
                    values["round_the_clock"] = True
                else:
                    values[key] = parse_hours(raw)
            else:
                values[key] = parse_duration(raw)
        except ValueError as error:
            raise ValueError(f"--what-if {key}: {error}") from None
    if not any(key != "channel" for key in values):
        raise ValueError(
            "--what-if needs at least one of first_response, next_response, follow_up or hours"
        )
    return WhatIf(**values)  # type: ignore[arg-type]


def _changed(window: ResponseWindow, what_if: WhatIf, channel: str) -> ResponseWindow:
    changes: dict[str, object] = {"channel": channel}
    for name in ("first_response", "next_response", "follow_up", "hours"):
        value = getattr(what_if, name)
        if value is not None:
            changes[name] = value
    if what_if.round_the_clock:
        changes["hours"] = None
    return replace(window, **changes)  # type: ignore[arg-type]


def clock_under(clock: ResponseClock, what_if: WhatIf) -> ResponseClock:
    """A clock like `clock` (same zone, holidays and warnings) with `what_if` applied."""
    windows = dict(clock.windows)
    if what_if.channel:
        windows[what_if.channel] = _changed(
            clock.window_for(what_if.channel), what_if, what_if.channel
        )
    else:
        windows = {name: _changed(w, what_if, name) for name, w in windows.items()}
    country = getattr(clock.holiday_country, "country", None)
    return ResponseClock(
        timezone=clock.timezone.key,
        windows=list(windows.values()),
        holidays=clock.holidays,
        holiday_country=country,
        warn_share=clock.warn_share,
        warn_before=clock.warn_before,
    )
