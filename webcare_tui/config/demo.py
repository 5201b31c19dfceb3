"""The built-in demo workspace: three replay connectors over `data/demo/`, Kompas Media's team."""

from __future__ import annotations

from dataclasses import replace

from webcare_tui.config.model import Config
from webcare_tui.config.read import parse_config

DEMO_CONFIG = """
[team]
name = "Kompas Media Webcare"
timezone = "Europe/Amsterdam"
holidays = ["2026-12-25", "2026-12-26", "2027-01-01"]
contacts = ["088 123 4567", "service@kompasmedia.example"]

[[windows]]
channel = "*"
first_response = "60m"
next_response = "4h"
follow_up = "1d"

[[windows]]
channel = "forum"
first_response = "4h"
next_response = "8h"
follow_up = "2d"
hours = "mon-fri 09:00-17:00"

[escalation]
teams = ["backoffice", "distribution", "it", "pr"]
dm_template = "Hoi {first_name}, stuur je ons je abonneenummer en postcode? Dan zoeken we het uit."
public_template = "We hebben je een DM gestuurd, {first_name}."

[tags]
names = ["delivery", "billing", "subscription", "login", "webshop", "praise", "spam"]

[[connectors]]
name = "demo-mastodon"
type = "demo"
channel = "mastodon"
poll_every = "5s"

[[connectors]]
name = "demo-bluesky"
type = "demo"
channel = "bluesky"
poll_every = "5s"

[[connectors]]
name = "demo-forum"
type = "demo"
channel = "forum"
poll_every = "5s"
"""


def demo_config() -> Config:
    """The built-in demo workspace: three replay connectors over `data/demo/`."""
    return replace(parse_config(DEMO_CONFIG, None), is_demo=True)
