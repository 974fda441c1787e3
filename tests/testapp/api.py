"""The test machine's transitions endpoints, from the toolkit's one helper."""

from ninja import NinjaAPI, Router

from governance.api_errors import install_error_handlers
from governance.auth import API_AUTH
from governance.lifecycle.api import add_transition_routes
from tests.testapp.models import tickets_with_facts

router = Router()
add_transition_routes(router, tickets_with_facts, view_permission="testapp.view_ticket")

api = NinjaAPI(auth=API_AUTH, urls_namespace="testapp-api")
install_error_handlers(api)
api.add_router("/tickets", router)
