"""The catalog is data: the default matches SPEC section 3; a replacement is validated entry by entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.briefs.catalog import Catalog, CatalogError, load_catalog, parse_catalog

SPEC_TYPES = {
    "social_graphic": (["platforms", "formats", "copy"], 3, 2),
    "video": (["duration", "formats"], 15, 8),
    "email": (["copy"], 5, 3),
    "landing_page": (["url", "copy"], 10, 8),
    "display_ad": (["platforms", "formats"], 5, 3),
    "print": (["formats", "quantity"], 10, 5),
    "presentation": (["slide_count"], 5, 3),
    "copywriting": ([], 3, 1),
    "localization": (["source_asset", "markets"], 5, 2),
    "brand_asset": (["usage"], 10, 5),
    "other": ([], 5, 3),
}


def test_default_catalog_is_the_spec(catalog: Catalog) -> None:
    assert catalog.channel_names == [
        "social",
        "paid_ads",
        "email",
        "web",
        "video_platforms",
        "print",
        "events",
        "internal",
    ]
    got = {name: (t.required, t.lead_time_days, t.effort_points) for name, t in catalog.request_types.items()}
    assert got == SPEC_TYPES
    assert set(catalog.common_required) == {"request_type", "channels", "deadline", "objective", "audience"}


def test_required_fields_put_common_ones_first(catalog: Catalog) -> None:
    assert catalog.required_fields("video") == [
        "request_type",
        "deadline",
        "objective",
        "audience",
        "channels",
        "duration",
        "formats",
    ]
    assert catalog.required_fields(None) == catalog.common_required
    assert catalog.lead_time("nonsense") == 5


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "channels: {social: x}\nrequest_types:\n  other: {description: d, lead_time_days: 5, effort_points: 3}\n"
            "  video: {description: v, required: [durations], lead_time_days: 15, effort_points: 8}\n",
            "request_types.video.required: unknown brief field(s) durations",
        ),
        (
            "channels: {social: x}\nrequest_types:\n  other: {description: d, lead_time_days: -1, effort_points: 3}\n",
            "request_types.other.lead_time_days",
        ),
        (
            "channels: {social: x}\nrequest_types:\n  video: {description: v, lead_time_days: 1, effort_points: 1}\n",
            "'other' type is needed",
        ),
        ("channels: [unclosed\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_invalid_catalogs_name_the_bad_entry(yaml_text: str, message: str) -> None:
    with pytest.raises(CatalogError, match="^CATALOG_FILE test.yml: ") as info:
        parse_catalog(yaml_text, "CATALOG_FILE test.yml")
    assert message in str(info.value)


def test_catalog_file_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yml"
    path.write_text(
        "channels: {social: organic}\nrequest_types:\n"
        "  meme: {description: memes, required: [platforms], lead_time_days: 1, effort_points: 1}\n"
        "  other: {description: rest, lead_time_days: 2, effort_points: 1}\n"
    )
    custom = load_catalog(path)
    assert custom.type_names == ["meme", "other"]
    assert custom.required_fields("meme")[-1] == "platforms"


def test_missing_catalog_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="CATALOG_FILE"):
        load_catalog(tmp_path / "absent.yml")
