"""The OpenAPI schema tells the truth about errors: every operation documents the 400 / 403 / 404 bodies that
kunshan_training.api.exception_handler gives (kept apart from api.py: drf-spectacular imports DRF's generics, which
import the pagination class from api.py)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent

# The bodies exception_handler gives, as OpenAPI components.
DETAIL_SCHEMA = {
    "type": "object",
    "description": "What went wrong, in plain words.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_SCHEMA = {
    "type": "object",
    "description": (
        "Each field in error with its messages in plain words (``non_field_errors`` for the request as a whole); "
        "a request that cannot be read at all (malformed JSON) gets ``detail`` instead."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": {}},
        ]
    },
}
ERRORS = {
    "400": ("ValidationError", VALIDATION_SCHEMA, "A parameter or field is invalid; nothing was changed."),
    "403": ("ErrorDetail", DETAIL_SCHEMA, "Not signed in, or not allowed to do this."),
    "404": ("ErrorDetail", DETAIL_SCHEMA, "No such object, or not one this user may see (or no such page)."),
}
# Writes only: a write into a published (locked) year; ``detail`` has the same words as the pages.
WRITE_ERRORS = {
    "409": (
        "ErrorDetail",
        DETAIL_SCHEMA,
        "The year is published and locked: nothing of it can change until the training section reopens it.",
    ),
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes with a body: one sent as a media type the operation does not read (or a multipart body without its
# boundary) is refused before any field is read.
BODY_ERRORS = {
    "415": ("ErrorDetail", DETAIL_SCHEMA, "The body is not in a media type this operation reads; nothing was changed."),
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The writes that land in a year (records, decisions, a year's recompute): the ones that can meet a locked year.
YEAR_WRITE_PATHS = ("/api/v1/activities/", "/api/v1/exemptions/", "/api/v1/vetoes/", "/api/v1/years/")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the error responses every operation may give (see ``ERRORS``)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        year_write = self.method.upper() in WRITE_METHODS and self.path.startswith(YEAR_WRITE_PATHS)
        errors = {**ERRORS, **WRITE_ERRORS} if year_write else dict(ERRORS)
        if self.method.upper() in BODY_METHODS:
            errors.update(BODY_ERRORS)
        for code, (name, schema, description) in errors.items():
            if "content" in responses.get(code, {}):
                continue  # the view documents its own body for this code
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)
            responses[code] = {
                "description": responses.get(code, {}).get("description") or description,
                "content": {"application/json": {"schema": component.ref}},
            }
        return responses


def year_path_parameters(result, generator, request, public):
    """Postprocessing hook: ``{year}`` in a path (``<year:year>``, four digits) is documented with the bounds the
    view enforces (kunshan_training.years), read when the schema is generated."""
    from .years import year_schema

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "year":
                    parameter["schema"] = year_schema()
    return result


# ---------------------------------------------------------------------------------------------------
# A score's policy-specific figures (AnnualScore.figures, added to the score by credits.api.serializers): optional
# properties, present when the score's policy has them. Decimals are numbers, as for the category scores.

_NUMBER = {"type": "number", "format": "double"}
SCORE_FIGURES = {
    "earned": {**_NUMBER, "description": "baoji-2009 only: credits earned in the year (basic + additional + reward)."},
    "carry_in": {**_NUMBER, "description": "baoji-2009 only: credits carried in from the year before."},
    "effective": {**_NUMBER, "description": "baoji-2009 only: earned + carry_in; pass at 60 (what ranks the year)."},
    "carry_out": {**_NUMBER, "description": "baoji-2009 only: credits carried into the next year."},
    "cycle": {
        "type": "object",
        "description": "baoji-2009 only: the five-year cycle the year belongs to.",
        "properties": {
            "first_year": {"type": "integer"},
            "last_year": {"type": "integer"},
            "earned": {**_NUMBER, "description": "Credits earned in the cycle up to this year."},
            "passed": {
                "type": "boolean",
                "nullable": True,
                "description": "Judged in the cycle's last year (300 credits); null before.",
            },
        },
        "required": ["first_year", "last_year", "earned", "passed"],
    },
}
SCORE_CATEGORIES = {
    "type": "object",
    "description": "The categories of the score's own policy, by code; ``passed`` where the policy judges categories.",
    "additionalProperties": {
        "type": "object",
        "properties": {"score": _NUMBER, "passed": {"type": "boolean", "nullable": True}},
        "required": ["score"],
    },
    "readOnly": True,
}


class ScoreFiguresExtension(OpenApiSerializerExtension):
    """The score serializers (and their subclasses) with their categories and optional figures described."""

    target_class = "credits.api.serializers.AnnualScoreSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["properties"]["categories"] = SCORE_CATEGORIES
            schema["properties"].update(SCORE_FIGURES)  # not required: only a policy with figures has them
        return schema
