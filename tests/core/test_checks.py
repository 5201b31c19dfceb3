"""The draft table: real-looking replies, good and bad, and exactly which findings they raise.

A good reply that raises any finding is a false alarm and fails here just like a missed slip:
agents stop reading warnings that cry wolf.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from webcare_tui.core.checks import DraftContext, ToneRules, blocking, check_draft, load_tone_rules

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def rules() -> ToneRules:
    return load_tone_rules(DATA / "tone")


def draft(rules: ToneRules, text: str, **changes: Any) -> DraftContext:
    base = DraftContext(
        text=text,
        channel_kind="mastodon",
        length_limit=500,
        rules=rules,
        agent="AB",
        agent_initials="AB",
        signature="^AB",
        private=False,
        customer_handle="sanne@social.example",
    )
    return replace(base, **changes)


GOOD = [
    # --- Dutch -------------------------------------------------------------------------------
    "Hoi Sanne, wat vervelend dat je pakket nog niet binnen is! Ik begrijp dat het vervelend is. "
    "Stuur je je ordernummer via een DM? Dan zoek ik het direct voor je uit. ^AB",
    "Dank je wel voor je mooie woorden, Jan! We geven het door aan het team in Utrecht. ^AB",
    "Hallo Peter, sorry voor het lange wachten. Je hebt helemaal gelijk dat dit sneller had "
    "gemoeten. Ik bel je vandaag nog terug. ^AB",
    "Hoi Fatima, doe rustig aan en beterschap! Je bestelling houden we graag voor je vast. ^AB",
    "Goedemorgen Kees, goed gezien! Het staat inderdaad niet duidelijk op onze site, dat passen "
    "we vandaag aan. De retourtermijn is 30 dagen. ^AB",
    "Hoi Lisa, NS en ProRail werken aan het spoor bij Utrecht. Reis je vandaag? Plan dan wat "
    "extra tijd in. ^AB",
    "Hoi Emma, wat fijn dat je cadeau goed is aangekomen! Veel plezier ermee. ^AB",
    "Zoals je al aangaf in je DM ging het om twee pakketten. Ik heb ze allebei voor je "
    "opgezocht: ze komen morgen. ^AB",
    "Niet jouw schuld hoor, het ging bij ons mis. We sturen vandaag een nieuwe. ^AB",
    "Hoi Tom, neem gerust de tijd en stuur ons een DM als het je uitkomt. ^AB",
    "Hoi Mo, u heeft zelf de keuze: een nieuwe of je geld terug. Wat heeft je voorkeur? ^AB",
    "Beste mevrouw Jansen, dat is zeker niet uw eigen schuld. We lossen het voor u op. ^AB",
    "Hoi Sem, goed nieuws: we hebben het aangepast en het staat nu duidelijk op de website. "
    "Dank voor de tip! ^AB",
    "Hoi Noor, je kunt ons bellen op 0800-0123456 (gratis), op werkdagen van 9.00 tot 17.00. ^AB",
    "Hoi Bram, ik heb het nagevraagd bij KPN: de storing in 1012 is sinds 14:30 voorbij. "
    "Werkt het bij jou ook weer? ^AB",
    "Hoi Ilse, wat wil je het liefst: een nieuwe of je geld terug? ^AB",
    "Hoi Daan, ik zie dat het adres anders is ingevuld dan op je account. Zal ik het voor je "
    "aanpassen? Stuur je het juiste adres via DM? ^AB",
    "Hoi @sanne@social.example, dank voor je geduld! Je pakket is onderweg. ^AB",
    "Hoi Joost, op 01-05-2026 10:30 staat je afspraak. Tot dan! ^AB",
    "Hoi Anouk, je krijgt 2000 MB extra data als goedmaker. Sorry voor het ongemak! ^AB",
    "Hoi, sorry dat je je zo voelt, en terecht: dit had niet mogen gebeuren. ^AB",
    "Hoi Wim, ik laat het je weten zodra het weer rustig aan de lijn is. ^AB",
    "Hoi Fenna, je had zelf al gebeld zie ik, fijn! Ik vul het verder aan. ^AB",
    "Je hebt zelf al een nieuw wachtwoord aangevraagd, zie ik. Top! ^AB",
    "Volgens onze voorwaarden mag je het binnen 30 dagen retourneren. Zal ik het label sturen? ^AB",
    # --- English -------------------------------------------------------------------------------
    "Hi Sarah, I'm so sorry your parcel is late. Could you DM us your order number? I'll look "
    "into it right away. ^AB",
    "Thanks so much for the kind words, Tom! I'll pass them on to the team. ^AB",
    "Hi Jake, you're right, that should have been clearer on our site. We're updating it "
    "today. ^AB",
    "Hi Priya, it's not your fault at all! The link in our email was broken. Here's the right "
    "one: https://example.com/help/returns ^AB",
    "Hi Dan, obviously we want to fix this for you. Could you send us a DM? ^AB",
    "Hi Mia, you should have received a confirmation email by now. Could you check your spam "
    "folder? If it isn't there, DM us and I'll resend it. ^AB",
    "Hi Ben, clearly we dropped the ball here, sorry! I've refunded the shipping costs. ^AB",
    "Hi Lena, take your time, there's no rush. DM us whenever it suits you. ^AB",
    "Hi Omar, I totally understand your frustration. I've escalated this and will update you "
    "before 17:00 today. ^AB",
    "Hi Chris, you can reach us on 0800-1234567 or at klantenservice@example.nl. ^AB",
    "Hi Kim, none of this is your fault. Clearly you were let down by our courier, sorry. ^AB",
    "Hi Sam, as we mentioned in the email, your refund is on its way. ^AB",
    "Hi Eva, I AM SO SORRY about this! We'll make it right. ^AB",
    "Hi Ali, thanks for your patience, your new router ships today. ^AB\n",
    "Hi Jo, the NS app and OV chipkaart site are both down right now. We're on it. ^ab",
    "Hi Liv, the app should calm down on notifications after the update. ^AB",
    "Hi Rae, per our policy you're entitled to a full refund, so I've started it. ^AB",
    "Hi Max, your new router ships today. Check out the setup guide: "
    "https://example.com/help/router ^AB",
    "Hi Nina, I'm sorry if that came across badly. That wasn't our intention. ^AB",
]


@pytest.mark.parametrize("text", GOOD)
def test_good_replies_raise_nothing(rules: ToneRules, text: str) -> None:
    assert check_draft(draft(rules, text)) == []


BAD: list[tuple[str, set[str]]] = [
    # --- Dutch -------------------------------------------------------------------------------
    (
        "Wat wil je nou? De juf uithangen of geholpen worden? ^AB",
        {"tone.defensive", "tone.sarcasm"},
    ),
    ("U had zelf de voorwaarden moeten lezen. ^AB", {"tone.blaming", "tone.lecturing"}),
    ("Dat staat duidelijk in de voorwaarden. ^AB", {"tone.lecturing"}),
    ("Zoals al eerder gezegd: we kunnen niets voor u doen. ^AB", {"tone.lecturing"}),
    ("Zoals ik al zei, de levering duurt drie dagen. ^AB", {"tone.lecturing"}),
    ("Rustig aan, we doen ons best. ^AB", {"tone.calm_down"}),
    ("Doe even normaal, we zijn ook maar mensen. ^AB", {"tone.calm_down", "tone.defensive"}),
    ("Kalm blijven alstublieft, we zijn ermee bezig. ^AB", {"tone.calm_down"}),
    ("Dat is niet ons probleem, neem contact op met PostNL. ^AB", {"tone.defensive"}),
    ("Jij hebt zelf het verkeerde adres ingevuld. ^AB", {"tone.blaming"}),
    ("Tja, pech gehad. Had u maar eerder besteld. ^AB", {"tone.sarcasm", "tone.blaming"}),
    ("Volgens onze voorwaarden had u binnen 14 dagen moeten retourneren. ^AB", {"tone.lecturing"}),
    ("Het spijt ons dat u zich zo voelt. ^AB", {"tone.defensive"}),
    ("Kun je niet lezen? Het staat op de doos. ^AB", {"tone.sarcasm"}),
    ("Hé, rustig aan, we doen ons best. ^AB", {"tone.calm_down"}),
    ("U heeft het formulier verkeerd ingevuld. ^AB", {"tone.blaming"}),
    ("WE HEBBEN HET AL DRIE KEER UITGELEGD ^AB", {"tone.shouting", "tone.lecturing"}),
    ("Hoi Jan, het komt goed!!! Echt waar! ^AB", {"tone.shouting"}),  # "!!!" blocks now
    ("Hoi Jan, we bellen je terug op 06-12345678. ^AB", {"privacy.phone"}),
    ("Hoi Jan, we bellen je op +31 6 12345678 of 020-1234567. ^AB", {"privacy.phone"}),
    (
        "Hoi Jan, klopt je adres nog: Dorpsstraat 1, 1234 AB Ergens? ^AB",
        {"privacy.address", "privacy.postcode"},
    ),
    ("Hoi Jan, de mail ging naar jan.jansen@gmail.com. ^AB", {"privacy.email"}),
    ("Hoi Jan, je ordernummer 12345678 is verzonden. ^AB", {"privacy.order_number"}),
    ("Hoi Jan, klantnummer 1234567 staat op pauze. ^AB", {"privacy.order_number"}),
    (
        "Hoi Jan, sorry voor de vertraging. Bekijk ook onze nieuwe wintercollectie met code "
        "WELKOM10! ^AB",
        {"marketing"},
    ),
    ("Hoi Jan, sorry voor de vertraging. Groetjes", {"signature"}),
    ("Hoi Jan, sorry voor de vertraging. ^CD", {"signature"}),
    ("Hoi Jan, ^AB\nsorry voor de vertraging.", {"signature"}),
    ("Hoi {first_name}, sorry voor de vertraging. ^AB", {"placeholder"}),
    # --- English -------------------------------------------------------------------------------
    ("As I already said, we can't refund this. ^AB", {"tone.lecturing"}),
    ("Calm down, we're doing our best. ^AB", {"tone.calm_down"}),
    ("You should have read the terms before ordering. ^AB", {"tone.blaming", "tone.lecturing"}),
    ("It’s not our fault the courier lost it. ^AB", {"tone.defensive"}),
    ("Per our policy you have to return it within 14 days. ^AB", {"tone.lecturing"}),
    ("That's clearly stated on our website. ^AB", {"tone.lecturing"}),
    ("Obviously you didn't read the email. ^AB", {"tone.lecturing"}),
    ("Clearly you didn't check your spam folder. ^AB", {"tone.lecturing"}),
    ("With all due respect, this is not how it works. ^AB", {"tone.defensive"}),
    ("No need to shout, we'll get to you. ^AB", {"tone.calm_down"}),
    ("You people always find something to complain about. ^AB", {"tone.blaming"}),
    ("Sorry you feel that way. ^AB", {"tone.defensive"}),
    ("Good luck with that. ^AB", {"tone.sarcasm"}),
    ("Like I said, the store opens at 9. ^AB", {"tone.lecturing"}),
    ("Keep calm, we're on it. ^AB", {"tone.calm_down"}),
    ("Use discount code SPRING20 at checkout. ^AB", {"marketing"}),
    ("Hi Tom, we'll call you on +44 20 7946 0958 tomorrow. ^AB", {"privacy.phone"}),
    ("Hi Tom, order #123456 has shipped. ^AB", {"privacy.order_number"}),
    (
        "Sorry for the wait! Check out our new summer range and use code SUMMER20 at "
        "https://example.com/shop ^AB",
        {"marketing"},
    ),
    ("THIS IS NOT HOW WE TREAT OUR CUSTOMERS, sorry Tom. ^AB", {"tone.shouting"}),
    ("Thanks!! Great!! Love it!! ^AB", {"tone.exclamations"}),
]


@pytest.mark.parametrize(("text", "codes"), BAD, ids=[text[:40] for text, _ in BAD])
def test_bad_replies_raise_exactly_these_codes(
    rules: ToneRules, text: str, codes: set[str]
) -> None:
    assert {finding.code for finding in check_draft(draft(rules, text))} == codes


def test_the_table_is_big_enough() -> None:
    assert len(GOOD) + len(BAD) >= 40


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"thread_assignee": "CD"}, {"ownership"}),
        ({"thread_assignee": "ab"}, set()),  # my own thread, however it is spelled
        ({"replied_since_opened_by": "CD"}, {"ownership"}),
        ({"replied_since_opened_by": "AB"}, set()),
        ({"length_limit": 20}, {"length"}),
        ({"length_limit": 0}, set()),  # no limit known
        ({"signature": "", "agent_initials": "AB"}, set()),  # ^AB derived from the initials
        ({"signature": "", "agent_initials": ""}, set()),  # nothing to check against
        ({"signature": "^XY", "agent_initials": "XY"}, {"signature"}),
    ],
)
def test_context_decides_ownership_length_and_signature(
    rules: ToneRules, changes: dict[str, Any], codes: set[str]
) -> None:
    text = "Hoi Sanne, dank voor je geduld. Je pakket is onderweg. ^AB"
    assert {f.code for f in check_draft(draft(rules, text, **changes))} == codes


def test_privacy_is_not_checked_in_a_dm(rules: ToneRules) -> None:
    text = "Hoi Jan, ik bel je morgen op 06-12345678 over order #123456 (1234 AB). ^AB"
    assert check_draft(draft(rules, text, private=True)) == []
    public = {f.code for f in check_draft(draft(rules, text))}
    assert public == {"privacy.phone", "privacy.order_number", "privacy.postcode"}


def test_published_contacts_are_allowed_in_public(rules: ToneRules) -> None:
    text = "Hoi Jan, bel ons gerust op 030-1234567 of mail naar hulp@example.nl. ^AB"
    assert {f.code for f in check_draft(draft(rules, text))} == {"privacy.phone", "privacy.email"}
    published = ("030 123 4567", "hulp@example.nl")
    assert check_draft(draft(rules, text, contacts=published)) == []


def test_mastodon_length_counts_urls_as_23(rules: ToneRules) -> None:
    text = "x" * 460 + " https://example.nl/" + "a" * 200 + " ^AB"
    assert check_draft(draft(rules, text)) == []  # 460 + 1 + 23 + 4 = 488 on Mastodon
    [finding] = check_draft(draft(rules, text, channel_kind="bluesky", length_limit=300))
    assert finding.code == "length" and finding.span == (300, len(text))


def test_findings_say_why_and_how_and_where(rules: ToneRules) -> None:
    text = "Calm down, sorry!!! Mail jan@example.org ^CD"
    findings = check_draft(draft(rules, text, thread_assignee="CD"))
    assert [f.severity for f in findings] == sorted(
        (f.severity for f in findings), key=lambda s: s != "block"
    )
    for finding in findings:
        assert finding.message and finding.fix
        if finding.span is not None:
            start, end = finding.span
            assert 0 <= start < end <= len(text)
    calm = next(f for f in findings if f.code == "tone.calm_down")
    assert calm.span is not None and text[slice(*calm.span)] == "Calm down"
    assert "held by CD" in next(f for f in findings if f.code == "ownership").message
    blocked = {f.code for f in blocking(findings)}
    assert blocked == {"ownership", "signature", "tone.calm_down", "tone.shouting", "privacy.email"}
    assert calm.source.startswith("data/tone/en.toml:") and calm.rule == "tone.calm_down"
