"""The LLM's structured-output schema, built from the catalog: strict for the endpoint, lenient when parsed."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from openai.lib._pydantic import to_strict_json_schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from bot.briefs.model import FIELD_NAMES, LIST_FIELDS

#: Brief fields the LLM proposes (``title`` is derived by code), by SPEC name.
PROPOSED_FIELDS: tuple[str, ...] = tuple(name for name in FIELD_NAMES if name != "title")


def schema_key(name: str) -> str:
    """The response-schema key of a SPEC field (``copy`` is a reserved name in pydantic)."""
    return "copy_text" if name == "copy" else name


def _none_to_empty(value: Any) -> Any:
    """Lenient with non-strict endpoints: null where a list belongs means empty."""
    return [] if value is None else value


def _tidy_schema(schema: dict[str, Any]) -> None:
    """Property titles only cost prompt tokens; defaults are for lenient parsing, not for the endpoint.

    Every property stays required, as strict mode needs (the openai client's strict transform says so too).
    """
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
        prop.pop("default", None)
    schema["required"] = list(schema.get("properties", {}))


#: A nullable string, in the compact form strict structured outputs accept.
_NullableStr = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


def _enum_list(values: tuple[str, ...]) -> Any:
    """A list of strings whose schema enumerates ``values``; validation stays lenient (code validates)."""
    schema = {"type": "array", "items": {"type": "string", "enum": list(values)}}
    return Annotated[list[str], BeforeValidator(_none_to_empty), WithJsonSchema(schema)]


@lru_cache(maxsize=8)
def response_model(types: tuple[str, ...], channels: tuple[str, ...]) -> type[BaseModel]:
    """The strict structured-output schema for a catalog: every key required, unknowns nullable.

    Enums constrain the model where the endpoint enforces the schema, while parsing accepts any
    string so an unknown value is dropped by ``merge.validated`` rather than failing the call. Parsing
    is lenient for servers that do not enforce the schema: a missing key is null or [], not a failure.
    """
    nullable_type = {"anyOf": [{"type": "string", "enum": list(types)}, {"type": "null"}]}
    special: dict[str, Any] = {
        "request_type": Annotated[str | None, WithJsonSchema(nullable_type)],
        "channels": _enum_list(channels),
    }
    fields: dict[str, Any] = {}
    for name in PROPOSED_FIELDS:
        if name in LIST_FIELDS:
            plain = Annotated[list[str], BeforeValidator(_none_to_empty)]
            fields[schema_key(name)] = (special.get(name, plain), Field(default_factory=list))
        else:
            fields[schema_key(name)] = (special.get(name, _NullableStr), None)
    cleared = _enum_list(tuple(schema_key(n) for n in PROPOSED_FIELDS))
    fields["cleared"] = (cleared, Field(default_factory=list))
    config = ConfigDict(coerce_numbers_to_str=True, json_schema_extra=_tidy_schema)
    return create_model("BriefUpdate", __config__=config, **fields)


@lru_cache(maxsize=8)
def response_format(types: tuple[str, ...], channels: tuple[str, ...]) -> dict[str, Any]:
    """The ``response_format`` of a call for this catalog, built once (it is the same for every call): the strict
    JSON schema of ``response_model``, as the openai client would derive it on each ``parse``."""
    model = response_model(types, channels)
    schema = {"name": model.__name__, "strict": True, "schema": to_strict_json_schema(model)}
    return {"type": "json_schema", "json_schema": schema}
