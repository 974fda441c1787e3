"""What a locked-out sign-in gets: django-axes counts failed sign-ins per username and per
address (the token endpoint and the sign-in page alike) and, past the limit, answers with this:
429 with ``Retry-After``, in JSON under /api/ and as a page elsewhere."""

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The 429 answer for a request that axes has locked out (``AXES_LOCKOUT_CALLABLE``)."""
    cool_off = get_cool_off(request)
    retry_after = math.ceil(cool_off.total_seconds()) if cool_off else None
    message = _("För många misslyckade inloggningar. Försök igen om %(minutes)s minuter.") % {
        "minutes": math.ceil((retry_after or 0) / 60)
    }
    body: dict[str, Any] = {"code": "too_many_attempts", "message": message}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {**body, "retry_after_seconds": retry_after}, status=LOCKED_OUT_STATUS
        )
    else:
        response = render(
            request, "core/locked_out.html", {"message": message}, status=LOCKED_OUT_STATUS
        )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
