"""A labelled set of how real requesters phrase things: unlabelled fields, copy answers, non-answers, typos, counts."""

from __future__ import annotations

from datetime import date

import pytest

from bot.analysis.contract import AnalysisContext, Extraction
from bot.analysis.merge import apply
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import load_catalog
from bot.briefs.model import Brief

CATALOG = load_catalog()
TODAY = date(2026, 3, 2)  # a Monday
ENGINE = RulesEngine()
SOCIAL = Brief(request_type="social_graphic", channels=["social"])


def extract(text: str, draft: Brief | None = None, expecting: str | None = None) -> Extraction:
    ctx = AnalysisContext(today=TODAY, timezone="UTC", catalog=CATALOG, draft=draft or Brief(), expecting=expecting)
    return ENGINE.extract(text, ctx)


def decided(text: str, draft: Brief | None = None, expecting: str | None = None) -> Brief:
    return apply(draft or Brief(), extract(text, draft, expecting), CATALOG)


@pytest.mark.parametrize(
    ("text", "expecting", "audience"),
    [
        ("it's for the sales team", None, "the sales team"),
        ("it's for the sales team", "audience", "the sales team"),
        ("targeting women 25-40 in the UK", None, "women 25-40 in the UK"),
        ("for young locals in Berlin", "audience", "young locals in Berlin"),
        ("instagram post for young locals in Berlin, square", None, "young locals in Berlin"),
        ("Target CFOs", None, "CFOs"),
        ("target: CFOs at fintechs", None, "CFOs at fintechs"),
        ("audience HR leaders", None, "HR leaders"),
        ("audience HR leaders", "objective", "HR leaders"),
        ("Zielgruppe Eltern mit kleinen Kindern", None, "Eltern mit kleinen Kindern"),
        ("público objetivo pymes en México", None, "pymes en México"),
        ("para jóvenes en Madrid", "audience", "jóvenes en Madrid"),
        ("pour les PME en France", None, "PME en France"),
        ("para pequenas empresas no Brasil", None, "pequenas empresas no Brasil"),
        ("público-alvo: mães de primeira viagem", None, "mães de primeira viagem"),
    ],
)
def test_audience_without_a_label(text: str, expecting: str | None, audience: str) -> None:
    assert decided(text, SOCIAL, expecting).audience == audience


@pytest.mark.parametrize(
    ("text", "expecting", "objective"),
    [
        ("landing page to collect demo requests", None, "collect demo requests"),
        ("to collect demo requests", "objective", "collect demo requests"),
        ("goal purchases", None, "purchases"),
        ("goal purchases", "audience", "purchases"),
        ("objective more webinar signups", None, "more webinar signups"),
        ("Ziel Anmeldungen zum Webinar", None, "Anmeldungen zum Webinar"),
        ("objetivo: más reservas de demo", None, "más reservas de demo"),
        ("para gerar leads qualificados", None, "gerar leads qualificados"),
        ("objetivo aumentar as vendas online", None, "aumentar as vendas online"),
    ],
)
def test_objective_without_a_label(text: str, expecting: str | None, objective: str) -> None:
    assert decided(text, SOCIAL, expecting).objective == objective


@pytest.mark.parametrize(
    ("text", "copy"),
    [
        ("on fournit le texte", "on fournit le texte"),
        ("Copy liefern wir", "Copy liefern wir"),
        ("den Text schreiben wir selbst", "Text schreiben wir selbst"),
        ("we'll write it ourselves", "we'll write it ourselves"),
        ("we write the copy ourselves", "we write the copy ourselves"),
        ("nosotros escribimos el texto", "nosotros escribimos el texto"),
        ("nós fornecemos o texto", "nós fornecemos o texto"),
        ("no copy needed", "no copy needed"),
        ("no text on the visual", "no text on the visual"),
        ("we don't need any copy", "we don't need any copy"),
        ("sin texto", "sin texto"),
        ("no copy yet, please write it", "copy needed"),
        ("please write the copy", "copy needed"),
        ("precisamos do texto", "copy needed"),
    ],
)
def test_copy_answers_in_five_languages(text: str, copy: str) -> None:
    assert decided(text, SOCIAL).copy_text == copy


@pytest.mark.parametrize("expecting", ["formats", "platforms", "copy", "duration", "objective", "audience", "markets"])
@pytest.mark.parametrize(
    "text", ["n/a", "N/A", "none", "not sure", "you decide", "idk", "no idea", "whatever you think", "keine Ahnung"]
)
def test_non_answers_are_not_values(text: str, expecting: str) -> None:
    brief = decided(text, Brief(request_type="video", channels=["social"]), expecting)
    assert not brief.has(expecting)


@pytest.mark.parametrize(
    ("expecting", "text"),
    [
        ("objective", "jan 15"),
        ("audience", "next friday"),
        ("objective", "15.03."),
        ("quantity", "lots"),
        ("duration", "short"),
        ("slide_count", "not many"),
    ],
)
def test_implausible_bare_answers_are_not_values(expecting: str, text: str) -> None:
    assert not decided(text, Brief(request_type="print", channels=["print"]), expecting).has(expecting)


def test_a_date_answer_to_another_question_is_still_the_deadline() -> None:
    brief = decided("jan 15", SOCIAL, "objective")
    assert brief.objective is None and brief.deadline == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("text", "request_type"),
    [
        ("need a vidoe for the launch", "video"),
        ("a short animaton for the homepage", "video"),
        ("15 sldies for the board meeting", "presentation"),
        ("a presentaton for the kickoff", "presentation"),
        ("an instagarm carousel", "social_graphic"),
        ("newsleter for april", "email"),
        ("500 flyres for the fair", "print"),
        ("a brochrue for the booth", "print"),
        ("new ladning page for the webinar", "landing_page"),
    ],
)
def test_typos_in_deciding_words(text: str, request_type: str) -> None:
    assert decided(text).request_type == request_type


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("post on instagarm and linkdin", "platforms", ["instagram", "linkedin"]),
        ("vidoe, 30 seconds", "duration", "30s"),
        ("deck of 12 sldies", "slide_count", "12"),
        ("nxt fri please", "deadline", date(2026, 3, 13)),
        ("by tomorow", "deadline", date(2026, 3, 3)),
        ("due firday", "deadline", date(2026, 3, 6)),
        ("deadline 20 marhc", "deadline", date(2026, 3, 20)),
    ],
)
def test_typos_in_field_words(text: str, field: str, value: object) -> None:
    assert decided(text).get(field) == value


@pytest.mark.parametrize(
    "text",
    [
        "in a friendly manner",
        "that's the main point",
        "the roster for the event",
        "both sides of the story",
        "costs are covered",
        "it's a long story",
        "the posted price",
        "a quick note",
        "we are the vendor",
    ],
)
def test_common_words_are_not_typos(text: str) -> None:
    body = ENGINE.extract(text, AnalysisContext(today=TODAY, timezone="UTC", catalog=CATALOG)).update
    assert body.request_type is None and body.platforms == [] and body.deadline is None


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("three instagram posts for the launch", "3"),
        ("a couple of banners for the fair", "2"),
        ("twelve posters A2", "12"),
        ("3 Instagram posts", "3"),
        ("five LinkedIn carousels", "5"),
        ("drei Plakate A1", "3"),
        ("dos videos cortos", "2"),
        ("a dozen stickers", "12"),
    ],
)
def test_number_words_and_deliverable_counts(text: str, quantity: str) -> None:
    assert decided(text).quantity == quantity


@pytest.mark.parametrize("text", ["a poster for the office", "one of our posts did well", "a few banners"])
def test_no_quantity_without_a_count(text: str) -> None:
    assert decided(text).quantity is None


@pytest.mark.parametrize(
    ("expecting", "text", "field", "value"),
    [
        ("request_type", "podcast", "request_type", "other"),
        ("request_type", "SMS", "request_type", "other"),
        ("request_type", "a vidoe", "request_type", "video"),
        ("channels", "SMS", "channels", ["email"]),
        ("channels", "podcast", "channels", ["video_platforms"]),
        ("channels", "in-app messages", "channels", ["web"]),
        ("channels", "instagarm and emial", "channels", ["social", "email"]),
        ("channels", "radio", "channels", ["video_platforms"]),
    ],
)
def test_answers_that_fit_nothing_map_to_the_closest(expecting: str, text: str, field: str, value: object) -> None:
    draft = Brief() if expecting == "request_type" else Brief(request_type="other")
    assert decided(text, draft, expecting).get(field) == value


@pytest.mark.parametrize(
    ("text", "deadline", "kind", "suggestion"),
    [
        ("asap", None, "asap", None),
        ("need it ASAP pls", None, "asap", None),
        ("lo antes posible", None, "asap", None),
        ("so schnell wie möglich", None, "asap", None),
        ("dès que possible", None, "asap", None),
        ("whenever, no rush", None, "flexible", None),
        ("Q2", None, "period", date(2026, 4, 1)),
        ("sometime next month", None, "period", date(2026, 4, 1)),
        ("le mois prochain", None, "period", date(2026, 4, 1)),
        ("nächsten Monat", None, "period", date(2026, 4, 1)),
        ("in May", None, "period", date(2026, 5, 1)),
        ("before the 15th", date(2026, 3, 15), "weekend", date(2026, 3, 13)),
        ("due Saturday", date(2026, 3, 7), "weekend", date(2026, 3, 6)),
        ("EOW", date(2026, 3, 6), None, None),
        ("mid January", date(2027, 1, 15), None, None),
    ],
)
def test_deadline_notes(text: str, deadline: date | None, kind: str | None, suggestion: date | None) -> None:
    extraction = extract(text, SOCIAL, "deadline")
    assert extraction.update.deadline == deadline
    note = extraction.deadline_note
    assert (note.kind if note else None) == kind
    assert (note.suggestion if note else None) == suggestion
