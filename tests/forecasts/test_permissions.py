"""Who may do what with budgets and forecasts, through the API: roles × actions.

The hub's principal staff and the coordinator edit; the hub's owner group and creative board
read (a hub's live forecast too); the national budget and the national views (planned and
live) are the coordinator's; the solver is for the coordinator and principal staff anywhere;
everyone else 403, anonymous 401.
"""

from datetime import date

import pytest

from governance.forecasts import services
from tests.factories import HubFactory, UserFactory
from tests.forecasts.conftest import record_agreement
from tests.forecasts.factories import SMALL_HUB, BudgetFactory, ForecastScenarioFactory

pytestmark = pytest.mark.django_db

COORDINATOR = "national_coordinator"
ROLES = [
    None,
    "no role",
    COORDINATOR,
    "principal_staff",
    "owner_group_rep",
    "creative_board_rep",
    "community_manager",
    "establishment_team",
    "principal_staff elsewhere",
]
READERS = {COORDINATOR, "principal_staff", "owner_group_rep", "creative_board_rep"}
EDITORS = {COORDINATOR, "principal_staff"}
ALLOWED = {
    "list_budgets": READERS,
    "read_budget": READERS,
    "read_budget_transitions": READERS,
    "create_budget": EDITORS,
    "update_budget": EDITORS,
    "adopt_budget": EDITORS,
    "list_scenarios": READERS,
    "read_scenario": READERS,
    "create_scenario": EDITORS,
    "update_scenario": EDITORS,
    "copy_scenario": EDITORS,
    "delete_scenario": EDITORS,
    "run_scenario": EDITORS,
    "read_forecast": READERS,
    "chart": READERS,
    "export_csv": READERS,
    "export_xlsx": READERS,
    "compare": READERS,
    "national": {COORDINATOR},
    "national_run": {COORDINATOR},
    "national_budgets": {COORDINATOR},
    "create_national_budget": {COORDINATOR},
    "solve_fee": {COORDINATOR, "principal_staff", "principal_staff elsewhere"},
    "live": READERS,
    "live_run": EDITORS,
    "live_national": {COORDINATOR},
}
SOLVER_BODY = {"inputs": {"fee_tiers": [{"yearly_fee": 10_000, "members": 5}]}}
BUDGET_BODY = {"year": 2026, "lines": [{"category": "staff", "amount_sek": 100_000}]}


def _user(role, hub):
    if role is None:
        return None
    if role == "no role":
        return UserFactory()
    if role == COORDINATOR:
        return UserFactory(roles=[COORDINATOR])
    if role.endswith(" elsewhere"):
        return UserFactory(roles=[(role.removesuffix(" elsewhere"), HubFactory())])
    return UserFactory(roles=[(role, hub)])


def _call(client, action, hub, coordinator):
    budget = BudgetFactory(hub=hub)
    record_agreement(budget)
    scenario = ForecastScenarioFactory(hub=hub)
    # Computing draws a chart: only for the actions that read a result.
    needs_result = action in {"read_forecast", "chart", "export_csv", "export_xlsx", "compare"}
    result = services.forecasts_compute(scenario_ids=[scenario.pk])[0] if needs_result else None
    if action in {"live", "live_national"}:
        services.live_forecasts_compute(today=date(2026, 6, 15), hub_ids=[hub.pk])
    calls = {
        "list_budgets": lambda: client.get(f"/api/hubs/{hub.pk}/budgets"),
        "read_budget": lambda: client.get(f"/api/budgets/{budget.pk}"),
        "read_budget_transitions": lambda: client.get(f"/api/budgets/{budget.pk}/transitions"),
        "create_budget": lambda: client.post(f"/api/hubs/{hub.pk}/budgets", BUDGET_BODY),
        "update_budget": lambda: client.patch(f"/api/budgets/{budget.pk}", {"note": "x"}),
        "adopt_budget": lambda: client.post(f"/api/budgets/{budget.pk}/transitions/adopt"),
        "list_scenarios": lambda: client.get(f"/api/hubs/{hub.pk}/forecast-scenarios"),
        "read_scenario": lambda: client.get(f"/api/forecast-scenarios/{scenario.pk}"),
        "create_scenario": lambda: client.post(
            f"/api/hubs/{hub.pk}/forecast-scenarios",
            {"name": "Ny", "inputs": SMALL_HUB.to_dict()},
        ),
        "update_scenario": lambda: client.patch(
            f"/api/forecast-scenarios/{scenario.pk}", {"name": "Omdöpt"}
        ),
        "copy_scenario": lambda: client.post(f"/api/forecast-scenarios/{scenario.pk}/copy"),
        "delete_scenario": lambda: client.delete(f"/api/forecast-scenarios/{scenario.pk}"),
        "run_scenario": lambda: client.post(f"/api/forecast-scenarios/{scenario.pk}/run"),
        "read_forecast": lambda: client.get(f"/api/forecasts/{getattr(result, 'pk', 0)}"),
        "chart": lambda: client.get(f"/api/forecasts/{getattr(result, 'pk', 0)}/chart.png"),
        "export_csv": lambda: client.get(f"/api/forecasts/{getattr(result, 'pk', 0)}/export.csv"),
        "export_xlsx": lambda: client.get(f"/api/forecasts/{getattr(result, 'pk', 0)}/export.xlsx"),
        "compare": lambda: client.get(
            "/api/forecasts/compare", {"ids": [getattr(result, "pk", 0)]}
        ),
        "national": lambda: client.get("/api/forecasts/national"),
        "national_run": lambda: client.post("/api/forecasts/national/run"),
        "national_budgets": lambda: client.get("/api/budgets/national"),
        "create_national_budget": lambda: client.post("/api/budgets/national", BUDGET_BODY),
        "solve_fee": lambda: client.post("/api/forecasts/solve-fee", SOLVER_BODY),
        "live": lambda: client.get("/api/forecasts/live", {"hub": hub.pk}),
        "live_run": lambda: client.post("/api/forecasts/live/run", {"hub_id": hub.pk}),
        "live_national": lambda: client.get("/api/forecasts/live/national"),
    }
    return calls[action]()


@pytest.mark.parametrize("action", ALLOWED)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(api_client, coordinator, role, action):
    hub = HubFactory()
    client = api_client(_user(role, hub))
    status = _call(client, action, hub, coordinator).status_code
    if role is None:
        assert status == 401
    elif role in ALLOWED[action]:
        assert status in (200, 201, 202, 204), status
    else:
        assert status == 403
