"""What every page's shell needs: the navigation entries the person may open."""

from typing import Any

from django.http import HttpRequest

from governance.web.registry import nav_entries


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation for a signed-in person (none on the sign-in pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    return {"nav": nav_entries(request)}
