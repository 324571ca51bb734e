"""A catalog Slack cannot show in the intake form's menus is refused at start, in one line (issue 11, item 10)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import SCRIPT

from bot.briefs.catalog import MAX_OPTION_LABEL, MAX_OPTION_VALUE, MAX_OPTIONS, CatalogError, parse_catalog

OTHER = {"description": "anything else", "lead_time_days": 5, "effort_points": 3}


def catalog(channels: dict[str, str] | None = None, types: dict[str, Any] | None = None) -> str:
    return yaml.safe_dump(
        {"channels": channels or {"social": "posts"}, "request_types": {"other": OTHER, **(types or {})}}
    )


def refusal(text: str) -> str:
    with pytest.raises(CatalogError) as failure:
        parse_catalog(text, "CATALOG_FILE c.yml")
    return str(failure.value)


def test_the_built_in_catalog_and_a_full_menu_are_accepted() -> None:
    parse_catalog(catalog({f"channel_{n}": "x" for n in range(MAX_OPTIONS)}))
    parse_catalog(catalog(types={f"type_{n}": OTHER for n in range(MAX_OPTIONS - 1)}))
    parse_catalog(catalog({"c" * MAX_OPTION_LABEL: "a name as long as a label may be"}))


def test_more_channels_than_a_menu_holds_are_refused() -> None:
    message = refusal(catalog({f"channel_{n}": "x" for n in range(MAX_OPTIONS + 1)}))
    assert message == "CATALOG_FILE c.yml: channels: 101 entries; a Slack menu holds at most 100"


def test_more_request_types_than_a_menu_holds_are_refused() -> None:
    message = refusal(catalog(types={f"type_{n}": OTHER for n in range(MAX_OPTIONS)}))
    assert message == "CATALOG_FILE c.yml: request_types: 101 entries; a Slack menu holds at most 100"


def test_a_name_over_an_options_value_limit_is_refused() -> None:
    message = refusal(catalog(types={"t" * (MAX_OPTION_VALUE + 1): OTHER}))
    assert message.startswith("CATALOG_FILE c.yml: request_types: 'tttt")
    assert message.endswith("is 151 characters; a Slack option holds at most 150")


def test_a_name_whose_label_a_menu_cannot_show_is_refused() -> None:
    message = refusal(catalog({"c" * (MAX_OPTION_LABEL + 1): "x"}))
    assert message.endswith("is 76 characters; a Slack menu label shows at most 75")


def test_an_empty_name_is_refused() -> None:
    assert refusal(catalog({" ": "x"})) == "CATALOG_FILE c.yml: channels: an empty name; every entry needs one"


def test_the_app_refuses_such_a_catalog_at_start_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "catalog.yml").write_text(catalog({f"channel_{n}": "x" for n in range(150)}))
    env = {"PATH": os.environ["PATH"], "CATALOG_FILE": "catalog.yml"}
    result = subprocess.run(
        [str(SCRIPT), "analyze"], input="x", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "creative-intake: CATALOG_FILE catalog.yml: channels: 150 entries; a Slack menu holds at most 100"
    )
