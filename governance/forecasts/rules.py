"""Who may do what with budgets and forecasts (issue 12, "API"):

- the national coordinator everything; the national node's budget and the national forecast
  table are his alone;
- a hub's principal staff edit its budgets (and adopt them in preparation, by recording the
  organisations' agreement), its scenarios, and run its forecasts;
- the hub's owner group and creative board read its budgets, scenarios and results;
- everyone else is refused (403).
A hub's live forecast (its agreements' revenue) is read like its other forecasts; principal
staff and the coordinator start a run; the national live sum is the coordinator's.
The fee solver takes its inputs in the request and reads nothing stored: the coordinator and
principal staff anywhere may use it.
"""

import rules

from governance.organisations import roles
from governance.organisations.rules import is_national_coordinator

PRINCIPAL_STAFF = "principal_staff"
READING_ROLES = (PRINCIPAL_STAFF, "owner_group_rep", "creative_board_rep")


def _hub_id(obj: object) -> int | None:
    """The hub of a hub, budget, scenario or result; None for the national budget."""
    if obj is None:
        return None
    if obj._meta.model_name == "hub":
        return obj.pk
    return obj.hub_id


def _holds_in_objects_hub(*hub_roles: str) -> rules.Predicate:
    @rules.predicate(name=f"forecasts_holds_in_objects_hub:{'|'.join(hub_roles)}")
    def predicate(user, obj) -> bool:
        hub_id = _hub_id(obj)
        return hub_id is not None and bool(roles.hub_roles(user, hub_id) & set(hub_roles))

    return predicate


principal_staff_of_hub = _holds_in_objects_hub(PRINCIPAL_STAFF)
reader_of_hub = _holds_in_objects_hub(*READING_ROLES)


@rules.predicate
def is_principal_staff_somewhere(user) -> bool:
    return roles.holds_role_anywhere(user, PRINCIPAL_STAFF)


editor = is_national_coordinator | principal_staff_of_hub
rules.add_perm("forecasts.view_budget", is_national_coordinator | reader_of_hub)
rules.add_perm("forecasts.edit_budget", editor)
rules.add_perm("forecasts.adopt_budget", editor)
rules.add_perm("forecasts.view_forecast", is_national_coordinator | reader_of_hub)
rules.add_perm("forecasts.edit_forecast", editor)
rules.add_perm("forecasts.view_national", is_national_coordinator)
rules.add_perm("forecasts.view_live_forecast", is_national_coordinator | reader_of_hub)
rules.add_perm("forecasts.run_live_forecast", editor)
rules.add_perm("forecasts.view_national_live", is_national_coordinator)
rules.add_perm("forecasts.solve_fee", is_national_coordinator | is_principal_staff_somewhere)

# The admin (governance/core/admin.py): the coordinator reads; writes go through the services,
# which keep adopted budgets unchanged and results with their inputs.
nobody = rules.always_deny
rules.add_perm("forecasts", is_national_coordinator)
for model_name in (
    "budget",
    "budgetline",
    "forecastscenario",
    "forecastresult",
    "liveforecastdemand",
):
    if model_name != "budget":
        rules.add_perm(f"forecasts.view_{model_name}", is_national_coordinator)
    rules.add_perm(f"forecasts.add_{model_name}", nobody)
    rules.add_perm(f"forecasts.change_{model_name}", nobody)
    rules.add_perm(f"forecasts.delete_{model_name}", nobody)
