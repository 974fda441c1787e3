"""The one NinjaAPI, mounted at /api/; each app adds its router."""

from governance.api_errors import JsonNinjaAPI, install_error_handlers
from governance.api_input import storable_input
from governance.audit.api import router as audit_router
from governance.auth import API_AUTH
from governance.flowruns.api import router as flowruns_router
from governance.hubs.api import overview_router
from governance.hubs.api import router as hubs_router
from governance.organisations.api import auth_router, me_router
from governance.organisations.api import router as organisations_router

api = JsonNinjaAPI(
    title="Samverket governance API",
    version="1",
    description="Hubs, boards, agreements and forecasts of the national owner of Samverket.",
    auth=API_AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_decorator(storable_input)
api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/organisations", organisations_router)
api.add_router("/flow-runs", flowruns_router)
api.add_router("/hubs", hubs_router)
api.add_router("/overview", overview_router)
api.add_router("/audit", audit_router)
