"""The rules engine's vocabulary: ``lexicon.yml`` compiled to patterns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


def words(pattern: str) -> re.Pattern[str]:
    """A pattern matched as whole words."""
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


@dataclass(frozen=True)
class ChannelCue:
    """A channel cue; ``types`` limits it to work of those request types (None: any)."""

    pattern: re.Pattern[str]
    types: frozenset[str] | None


@dataclass(frozen=True)
class Lexicon:
    """Compiled vocabulary of the rules engine."""

    types: dict[str, list[tuple[int, re.Pattern[str]]]]
    paid: re.Pattern[str]
    organic: re.Pattern[str]
    channels: dict[str, list[ChannelCue]]
    type_channels: dict[str, list[str]]
    usual_channels: dict[str, list[str]]
    platforms: dict[str, re.Pattern[str]]
    formats: dict[str, re.Pattern[str]]
    markets: dict[str, re.Pattern[str]]
    people: str
    objective_to: re.Pattern[str]
    gerunds: re.Pattern[str]
    usage_surfaces: re.Pattern[str]
    typo_targets: tuple[str, ...]
    not_typos: frozenset[str]
    nearest_channels: dict[str, re.Pattern[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The built-in lexicon, compiled once."""
    data = yaml.safe_load(resources.files("bot.analysis.rules").joinpath("lexicon.yml").read_text(encoding="utf-8"))
    verbs = data["objective_verbs"]
    return Lexicon(
        types={name: [(int(w), words(p)) for w, p in rules] for name, rules in data["request_types"].items()},
        paid=words(data["paid"]),
        organic=words(data["organic"]),
        channels={
            name: [ChannelCue(words(cue["cues"]), frozenset(cue["types"]) if "types" in cue else None) for cue in cues]
            for name, cues in data["channels"].items()
        },
        type_channels=data["type_channels"],
        usual_channels=data["usual_channels"],
        platforms={name: words(p) for name, p in data["platforms"].items()},
        formats={name: words(p) for name, p in data["formats"].items()},
        markets={name: words(p) for name, p in data["markets"].items()},
        people=data["people"],
        objective_to=re.compile(
            rf"(?:\bto\s+(?P<en>{verbs['en']})|\b(?:para|pra)\s+(?P<es>{verbs['es']})"
            rf"|\bpour\s+(?P<fr>{verbs['fr']}))(?!\w)"
        ),
        gerunds=words(data["objective_gerunds"]),
        usage_surfaces=words(data["usage_surfaces"]),
        typo_targets=tuple(data["typo_targets"].split()),
        not_typos=frozenset(data["not_typos"].split()),
        nearest_channels={name: words(p) for name, p in data["nearest_channels"].items()},
    )
