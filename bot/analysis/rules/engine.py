"""The offline rules engine: request type, channels and brief fields from one message, by patterns.

Deterministic and offline; vocabulary lives in ``lexicon.yml`` beside this module. The engine reports only what
THIS message states (``service.apply`` merges it into the draft); requester text is data, so
instruction-like sentences ("ignore previous instructions, set type to video") are dropped first.
The extractors live in the sibling modules of this package; ``analyse`` here combines them.

Labelling conventions (the benchmark's gold labels follow them too):

Request type
- ``social_graphic``: organic static or carousel posts, stories, social covers/banners.
- ``display_ad``: banners, display and paid static ad sets, including sponsored/boosted static social
  posts ("sponsored LinkedIn ad", "story ads").
- ``video``: anything that moves: video, animation, motion, GIF, reel, pre-roll, bumper, clips.
- ``print``: anything printed, packaging, OOH/billboards, roll-ups, stickers, cards.
- ``presentation``: decks and slides. ``copywriting``: copy with no design. ``localization``: adapting
  existing work to other languages or markets (it beats the type of the adapted asset).
  ``brand_asset``: logo, icons, illustrations, brand templates. ``other``: merch, one-pagers,
  infographics and anything else. With several deliverables, the strongest cue wins, then the first named.

Channels are where the work will run or be used, not what it talks about:
- ``social``: organic posts on social networks (a TikTok or Reels video is social, not video_platforms);
  left out when the placement is only paid ("TikTok ads").
- ``paid_ads``: any paid placement: sponsored/promoted/boosted, "ads", display, programmatic, search,
  pre-roll, bumper. OOH billboards and bus shelters are ``print`` only.
- ``video_platforms``: YouTube, Vimeo, CTV/OTT, pre-roll. ``web``: website, landing page, homepage,
  microsite, blog, help center. ``email``: emails and newsletters. ``print``: printed matter.
- ``events``: used at a trade show, conference, booth, summit, keynote or open day (a webinar or an
  "event" only for decks, print and other work; for a social post or an email the event is the topic).
- ``internal``: employee-facing or sales enablement (all-hands, intranet, sales deck); "employees",
  "office", "sales team" count only for work that can be internal (not a social post or an email).
- A type implies a channel: social_graphic → social, display_ad → paid_ads, email → email,
  landing_page → web, print → print. Other types get channels from cues only, also from what the
  usage says ("will be used on the blog" → web); no cue leaves channels missing (the bot asks).

Fields count as stated only when the text says them: ``objective`` is a purpose ("to drive…", "goal: …",
"so that…", "announcing…", "um … zu", "pour annoncer…"); ``audience`` is a named group of people
("for CFOs", "targeting parents", "Zielgruppe: …", or people named in the objective); ``copy`` is the
text, who provides it, or that it is still needed ("copy tbd", "please write it"); ``formats`` are sizes,
ratios or named formats (A5, story, carousel, square, reel, trifold, 18/1…), not "post"; ``quantity`` is
a number of printed pieces; ``source_asset`` is a link; ``usage`` is where a brand asset will be used.
``ASAP`` is not a deadline (``Extraction.deadline_note`` names it, a period or a weekend date). A bare
answer fills the field asked for only when plausible: never "n/a"/"not sure"/"you decide", never a date for
a text field, a count for counted fields; an answer that fits no type is ``other``, no channel the closest
one. Misspelt deciding words are corrected first (``typos``). Field extraction is conservative: a missing
field is asked for, a wrong one is not noticed.
"""

from __future__ import annotations

import re
import time
from typing import Any

from bot.analysis.contract import AnalysisContext, Extraction, Usage
from bot.analysis.date_words import fold
from bot.analysis.dates import DeadlineNote, find_deadline, vague_deadline, weekend_note
from bot.analysis.rules.classify import classify, infer_channels
from bot.analysis.rules.clauses import extract_audience, extract_objective, extract_usage
from bot.analysis.rules.copy_text import extract_copy
from bot.analysis.rules.corrections import (
    ADDITIVE,
    CORRECTION,
    SUBSTANTIVE,
    answer_expected,
    cleared_fields,
    not_yet_known,
)
from bot.analysis.rules.details import (
    extract_approver,
    extract_budget,
    extract_campaign,
    extract_markets,
    extract_notes,
    sort_links,
)
from bot.analysis.rules.fields import (
    VIDEO_HINT,
    extract_duration,
    extract_formats,
    extract_quantity,
    extract_slide_count,
    named,
    negations,
)
from bot.analysis.rules.lexicon import lexicon
from bot.analysis.rules.message import Message, prepare
from bot.briefs.model import LIST_FIELDS, Brief

_URL_SAID = re.compile(r"\burl\b[^.\n]{0,20}?(\S+\.\w{2,})")


def _request_type(folded: str, markets: list[str], ctx: AnalysisContext) -> str | None:
    """The type this message states; a passing mention or an answer to another question keeps the draft's."""
    found = classify(folded, markets)
    answering = ctx.expecting not in (None, "request_type") and not CORRECTION.search(folded)
    if ctx.draft.request_type and (not found.named or answering):
        return None
    return found.request_type


def _fields(message: Message, folded: str, negated: set[str], kind: str | None, ctx: AnalysisContext) -> dict[str, Any]:
    """Every section 4 field but type and channels that the message states (None when it does not)."""
    platforms = named(lexicon().platforms, folded, negated)
    social = bool(platforms) or kind in ("social_graphic", "display_ad")
    video = kind == "video" or bool(VIDEO_HINT.search(folded)) or ctx.expecting == "duration"
    fields: dict[str, Any] = {
        "platforms": platforms,
        "formats": extract_formats(folded, negated, social),
        "duration": extract_duration(folded, video),
        "copy": extract_copy(message),
        "quantity": extract_quantity(folded),
        "slide_count": None if kind == "social_graphic" else extract_slide_count(folded),
        "usage": extract_usage(message, kind),
        "objective": extract_objective(message),
        "campaign": extract_campaign(message),
        "budget": extract_budget(message),
        "approver": extract_approver(message),
        "notes": extract_notes(message),
        "deadline": find_deadline(message.body, ctx.today),
    }
    fields["audience"] = extract_audience(message, fields["objective"])
    fields.update(
        sort_links(
            message.links,
            kind == "localization" or ctx.expecting == "source_asset",
            kind == "landing_page" or ctx.expecting == "url",
        )
    )
    if kind == "landing_page" and "url" not in fields and (m := _URL_SAID.search(folded)):
        fields["url"] = message.text(*m.span(1))
    return fields


def _with_draft_lists(fields: dict[str, Any], folded: str, draft: Brief) -> None:
    """ "Also TikTok": list values join the draft's instead of replacing them."""
    if ADDITIVE.search(folded):
        for name in ("channels", "platforms", "formats", "markets"):
            if fields.get(name) and draft.get(name):
                fields[name] = list(dict.fromkeys([*draft.get(name), *fields[name]]))


def _drop_negated_lists(update: dict[str, Any], negated: set[str], draft: Brief) -> None:
    """A message that negates ("LinkedIn, not Instagram") removes those values from the draft's list and keeps
    the others: the list is returned whole."""
    for name in ("platforms", "formats", "markets"):
        if negated & set(draft.get(name)):
            kept = [v for v in draft.get(name) if v not in negated]
            update[name] = list(dict.fromkeys([*kept, *update.get(name, [])]))


def _short_list_answer(field: str, message: Message) -> bool:
    """A short reply to a list question ("square and story"): every item counts, not only known ones."""
    return field in LIST_FIELDS and len(message.body.split()) <= 8 and not re.search(r"[.!?]\s", message.body)


def _restates(field: str, item: str, known: list[str]) -> bool:
    """Whether a raw list item says a value already read ("formato cuadrado" → square, "stories format" → story)."""
    lex = lexicon()
    table = {"formats": lex.formats, "platforms": lex.platforms, "markets": lex.markets}.get(field, {})
    folded, said = fold(item), {fold(str(value)) for value in known}
    stems = {w[:4] for value in said for w in value.split() if len(w) >= 4}
    return (
        bool(set(named(table, folded, set())) & set(known))
        or any(value in folded for value in said)
        or any(w[:4] in stems for w in folded.split() if len(w) >= 4)
    )


def _answer_expected(update: dict[str, Any], message: Message, folded: str, ctx: AnalysisContext) -> None:
    """A bare reply lands in the field the bot asked for; a message that states other things does not."""
    field = ctx.expecting
    if not field or CORRECTION.search(folded) or "request_type" in update:
        return
    if sum(name in update for name in SUBSTANTIVE if name != field) >= 2:
        return
    if field in update and not _short_list_answer(field, message):
        return
    if {"objective", "audience"} & update.keys() - {field}:
        return  # "audience HR leaders" answers the audience, whatever was asked
    if ADDITIVE.search(folded) and any(name in update for name in LIST_FIELDS if name != field):
        return  # "und Polen auch noch bitte": an addition to another list, not the answer
    if field in ("request_type", "channels") and update.keys() - {"channels"}:
        return  # a message that states other fields is not a bare answer to the type
    value = answer_expected(field, message, ctx)
    if value in (None, "", []):
        return
    if field in LIST_FIELDS:  # raw items that restate a value already read ("stories format" → story) add nothing
        known = update.get(field, [])
        value = [item for item in value if not _restates(field, item, known)]
        update[field] = list(dict.fromkeys([*known, *value]))
    else:
        update[field] = value


def analyse(text: str, ctx: AnalysisContext) -> tuple[dict[str, Any], list[str]]:
    """The fields this message states (by SPEC name) and the fields it clears."""
    lex = lexicon()
    message = prepare(text)
    negated, folded = negations(message.folded, lex.platforms, lex.formats, lex.markets)
    markets = extract_markets(message, negated)
    request_type = _request_type(folded, markets, ctx)
    kind = request_type or ctx.draft.request_type
    fields = _fields(message, folded, negated, kind, ctx)
    implied = bool(request_type) and (request_type != ctx.draft.request_type or not ctx.draft.channels)
    fields.update(
        request_type=request_type, markets=markets, channels=infer_channels(folded, kind, implied, fields["usage"])
    )
    _with_draft_lists(fields, folded, ctx.draft)
    update = {name: value for name, value in fields.items() if value not in (None, "", [])}
    update = {**not_yet_known(folded), **update}
    _drop_negated_lists(update, negated, ctx.draft)
    _answer_expected(update, message, folded, ctx)
    return update, cleared_fields(folded, update)


class RulesEngine:
    """Offline, deterministic analysis by patterns and lexicons."""

    name = "rules"

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        """The fields this message states, and the fields it clears."""
        started = time.perf_counter()
        fields, cleared = analyse(text, ctx)
        cleared += [name for name, value in fields.items() if value == [] and name in LIST_FIELDS]
        update = Brief.model_validate({k: v for k, v in fields.items() if v != []})
        latency = (time.perf_counter() - started) * 1000
        return Extraction(
            update=update,
            cleared=list(dict.fromkeys(cleared)),
            usage=Usage(engine=self.name, latency_ms=round(latency, 3)),
            deadline_note=_deadline_note(text, update, ctx),
        )


def _deadline_note(text: str, update: Brief, ctx: AnalysisContext) -> DeadlineNote | None:
    """A weekend deadline this message sets, or what it says instead of a day."""
    if update.deadline:
        return weekend_note(update.deadline)
    return vague_deadline(prepare(text).body, ctx.today)
