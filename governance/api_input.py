"""What every API input must be before an endpoint sees it: values the database can take.

Ninja and the schemas check types and shapes; this checks what they let through that the
database would refuse with an error instead of an answer: text with a NUL character
(PostgreSQL stores none) or half a UTF-16 surrogate pair; integers beyond 64 bits (SQLite cannot
even compare one with a column); times whose UTC offset is beyond ±15:59 (PostgreSQL's limit; no
place on earth is beyond ±14:00) or that are not a time in UTC (the first seconds of year 1).
Such a value is refused with 422 ``invalid_input`` naming its field, wherever it comes from:
path, query or body.

The body is also parsed once before ninja sees it (``request_json_body``), so the API can refuse
a JSON body that is not an object before any endpoint reads it; ninja's parser reuses that parse.
"""

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.parser import Parser
from pydantic import BaseModel, ConfigDict

_UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_SMALLEST_INTEGER, _LARGEST_INTEGER = -(2**63), 2**63 - 1
_LARGEST_UTC_OFFSET = timedelta(hours=15, minutes=59)


def unstorable_values(
    value: Any, field: tuple[str, ...] = ()
) -> Iterator[tuple[str, ValidationError]]:
    """The field name and error of every text or integer in ``value`` the database refuses."""
    if isinstance(value, BaseModel):
        for attribute, info in type(value).model_fields.items():
            yield from unstorable_values(
                getattr(value, attribute), (*field, info.alias or attribute)
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unstorable_values(key, field)
            yield from unstorable_values(item, (*field, str(key)))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from unstorable_values(item, (*field, str(index)))
    elif isinstance(value, str) and _UNSTORABLE_CHARACTERS.search(value):
        message = _(
            "Texten innehåller ett tecken som inte kan lagras (NUL eller ett halvt surrogatpar)."
        )
        yield _name(field), ValidationError(message, code="unstorable_character")
    elif (isinstance(value, datetime) and not _storable_time(value)) or (
        isinstance(value, int) and not _SMALLEST_INTEGER <= value <= _LARGEST_INTEGER
    ):
        message = _("Värdet ligger utanför det intervall som kan lagras.")
        yield _name(field), ValidationError(message, code="out_of_range")


def _storable_time(value: datetime) -> bool:
    # The database stores UTC; Django reads a naive time in the current time zone.
    aware = timezone.make_aware(value) if timezone.is_naive(value) else value
    try:
        aware.astimezone(UTC)
    except OverflowError:
        return False
    return abs(aware.utcoffset()) <= _LARGEST_UTC_OFFSET


def _name(field: tuple[str, ...]) -> str:
    return ".".join(field) or "__all__"


def storable_input(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse the call with 422 when any validated argument holds a value the database refuses
    (for ``NinjaAPI.add_decorator``: runs after ninja's validation, before the endpoint)."""

    @wraps(view_func)
    def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
        errors: dict[str, list[ValidationError]] = {}
        for parameter, value in kwargs.items():
            # A schema's fields are named as the client sent them, without the parameter name.
            field = () if isinstance(value, BaseModel) else (parameter,)
            for name, error in unstorable_values(value, field):
                errors.setdefault(name, []).append(error)
        if errors:
            raise ValidationError(errors)
        return view_func(request, *args, **kwargs)

    return checked


NO_JSON_BODY = object()
JSON_MEDIA_TYPE = "application/json"
MULTIPART_MEDIA_TYPE = "multipart/form-data"
# Room beside an uploaded file for its form's other fields, the parts' headers and boundaries.
UPLOAD_FORM_ALLOWANCE_BYTES = 64 * 1024
_UPLOAD_LIMIT_ATTRIBUTE = "upload_max_bytes"


def accepts_upload(
    max_bytes: Callable[[], int],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark an endpoint that takes a file as ``multipart/form-data`` of at most ``max_bytes()``
    (asked per request, so a setting can change it). Every other endpoint takes JSON only and
    bodies up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``; ``JsonNinjaAPI`` lets such an upload through
    up to its own limit (plus ``UPLOAD_FORM_ALLOWANCE_BYTES``) and refuses a bigger one with 413
    before the body is read. Put it under the router's decorator."""

    def mark(view_func: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view_func, _UPLOAD_LIMIT_ATTRIBUTE, max_bytes)
        return view_func

    return mark


def upload_limit(view_func: Callable[..., Any]) -> Callable[[], int] | None:
    """The upload limit ``accepts_upload`` gave an endpoint, or None."""
    return getattr(view_func, _UPLOAD_LIMIT_ATTRIBUTE, None)


_METHODS_WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}
_PARSED_BODY_ATTRIBUTE = "_governance_json_body"


def has_body(request: HttpRequest) -> bool:
    """Whether the request carries a body an endpoint could read."""
    return request.method in _METHODS_WITH_BODY and bool(request.body)


def request_json_body(request: HttpRequest) -> Any:
    """The request's JSON body, parsed once per request; ``NO_JSON_BODY`` when there is none or
    it is not JSON (ninja then answers 400 to an endpoint that reads a body)."""
    if not hasattr(request, _PARSED_BODY_ATTRIBUTE):
        body: Any = NO_JSON_BODY
        if has_body(request) and request.content_type == JSON_MEDIA_TYPE:
            try:
                body = json.loads(request.body)
            except ValueError:
                body = NO_JSON_BODY
        setattr(request, _PARSED_BODY_ATTRIBUTE, body)
    return getattr(request, _PARSED_BODY_ATTRIBUTE)


class ParsedOnceParser(Parser):
    """Ninja's JSON parser, reusing the body the API parsed to check its shape."""

    def parse_body(self, request: HttpRequest) -> Any:
        body = request_json_body(request)
        return super().parse_body(request) if body is NO_JSON_BODY else body


class StrictInput(Schema):
    """The base of every request body schema: a field the endpoint does not take is refused
    with 422 ``extra_forbidden`` naming it, not silently ignored (``principal`` for
    ``principal_id`` would otherwise answer 200 and change nothing)."""

    model_config = ConfigDict(extra="forbid")
