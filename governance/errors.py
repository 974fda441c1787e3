"""Domain errors that services raise and the API maps to HTTP answers (api_errors.py)."""

from typing import Any


class ConflictError(Exception):
    """The request is well-formed but clashes with the object's current state (HTTP 409)."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class CsrfCheckFailedError(Exception):
    """A signed-in session sent an unsafe request without a valid CSRF token (HTTP 403)."""
