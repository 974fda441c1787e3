"""The one pagination of every paginated list in the API (``NINJA_PAGINATION_CLASS``)."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# PostgreSQL and SQLite both take a 64-bit OFFSET, but nobody pages two billion rows in:
# anything beyond is a client error, answered 422 naming the field rather than a 500.
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` (1–1000, default 100) items from ``offset`` (0–2³¹−1); 422 outside."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
