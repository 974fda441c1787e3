"""How API callers prove who they are: a bearer token, or the web session."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from governance.errors import CsrfCheckFailedError
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


class SignedInSessionAuth(SessionAuth):
    """The web session: a request without one is not authenticated (401), whatever its method;
    a signed-in session's unsafe request must carry the CSRF token (403 ``csrf_failed``)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfCheckFailedError
        return request.COOKIES.get(self.param_name)


API_AUTH = [BearerTokenAuth(), SignedInSessionAuth()]
