"""The one NinjaAPI, mounted at /api/; each app declares its routers on its AppConfig
(``api_routers = {"/prefix": "module:router"}``) and they are added here in INSTALLED_APPS
order."""

from django.utils.module_loading import import_string

from governance.api_errors import JsonNinjaAPI, install_error_handlers
from governance.api_input import storable_input
from governance.auth import API_AUTH
from governance.core.registry import declarations, merge_named

api = JsonNinjaAPI(
    title="Samverket governance API",
    version="1",
    description="Hubs, boards, agreements and forecasts of the national owner of Samverket.",
    auth=API_AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_decorator(storable_input)
for prefix, router in merge_named(
    "API prefix",
    [(label, routers.items()) for label, routers in declarations("api_routers")],
).items():
    api.add_router(prefix, import_string(router.replace(":", ".")))
