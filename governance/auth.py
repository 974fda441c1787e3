"""How API callers prove who they are: a bearer token, or the web session."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from governance.organisations.services import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /api/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


API_AUTH = [BearerTokenAuth(), django_auth]
