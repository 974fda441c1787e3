"""What apps declare on their AppConfig: flows, demo seeders and roles, collected in order."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from governance.core.apps import check_flows
from governance.core.registry import declarations
from governance.forecasts import guards as forecast_guards
from governance.hubs import guards as hub_guards
from governance.hubs.models import Hub
from governance.lifecycle.machine import add_conditions, transition_from_here
from governance.memberships import guards as membership_guards
from governance.organisations import roles
from governance.organisations.apps import check_roles
from governance.organisations.models import RoleAssignment
from governance.workflows import (
    UnknownFlowError,
    flow_deployments,
    load_flow,
    registered_flows,
    registered_schedules,
)


def _clear_registries() -> None:
    registered_flows.cache_clear()
    registered_schedules.cache_clear()
    roles._labels.cache_clear()
    roles.national_role_values.cache_clear()


@pytest.fixture
def declare(monkeypatch):
    """Give an installed app's AppConfig an attribute for one test, with fresh registries."""

    def set_attribute(app_label: str, attribute: str, value: object) -> None:
        monkeypatch.setattr(apps.get_app_config(app_label), attribute, value, raising=False)
        _clear_registries()

    yield set_attribute
    monkeypatch.undo()
    _clear_registries()


class OtherNationalRole(models.TextChoices):
    NATIONAL_COORDINATOR = "national_coordinator", "Another coordinator"


def test_flows_come_from_the_app_configs():
    assert registered_flows() == {
        "revalidate_org_numbers": "flows.organisations:revalidate_org_numbers",
        "generate_agreements": "flows.agreements:generate_agreements",
        "nightly_agreement_calendar": "flows.agreements:nightly_agreement_calendar",
        "erase_departed_members": "flows.members:erase_departed_members",
        "run_break_even_forecast": "flows.forecasts:run_break_even_forecast",
        "run_live_forecast": "flows.forecasts:run_live_forecast",
        "nightly_live_forecasts": "flows.forecasts:nightly_live_forecasts",
        "route_board_matter": "flows.board_routing:route_board_matter",
        "nightly_board_seats": "flows.board_seats:nightly_board_seats",
        "board_vote_deadlines": "flows.board_votes:board_vote_deadlines",
    }
    with pytest.raises(UnknownFlowError):
        load_flow("no_such_flow")


def test_schedules_come_from_the_app_configs_and_name_registered_flows():
    assert registered_schedules() == {
        "nightly_agreement_calendar": "15 1 * * *",
        "erase_departed_members": "45 2 * * *",
        "nightly_live_forecasts": "45 1 * * *",
        "nightly_board_seats": "30 1 * * *",
        "board_vote_deadlines": "*/15 * * * *",
    }


def test_a_schedule_naming_no_flow_or_no_cron_fails_loudly(declare):
    declare("hubs", "schedules", {"no_such_flow": "0 1 * * *"})
    with pytest.raises(ImproperlyConfigured, match="no_such_flow"):
        registered_schedules()
    declare("hubs", "schedules", {"revalidate_org_numbers": "every night"})
    with pytest.raises(ImproperlyConfigured, match="no cron expression"):
        registered_schedules()


def test_scheduled_flows_are_served_with_their_cron_in_swedish_time(settings):
    deployments = {deployment.flow_name: deployment for deployment in flow_deployments()}
    scheduled = deployments["nightly-agreement-calendar"]

    assert len(deployments) == len(registered_flows())
    assert {d.name for d in deployments.values()} == {settings.FLOW_DEPLOYMENT_NAME}
    [schedule] = scheduled.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (
        "15 1 * * *",
        "Europe/Stockholm",
    )
    assert deployments["generate-agreements"].schedules == []
    # A module path, so that the package `flows` sets Django up before the flow's imports.
    assert scheduled.entrypoint == "flows.agreements.nightly_agreement_calendar"
    assert [d.flow_name for d in flow_deployments(schedules_only=True)] == [
        "nightly-agreement-calendar",
        "erase-departed-members",
        "nightly-live-forecasts",
        "nightly-board-seats",
        "board-vote-deadlines",
    ]
    [live_schedule] = deployments["nightly-live-forecasts"].schedules
    assert live_schedule.schedule.cron == "45 1 * * *"


def test_two_apps_declaring_one_flow_fail_loudly(declare):
    declare("hubs", "flows", {"revalidate_org_numbers": "flows.hubs:revalidate"})
    with pytest.raises(ImproperlyConfigured, match="'organisations'.*'hubs'"):
        registered_flows()
    assert [error.id for error in check_flows()] == ["core.E001"]


def test_two_apps_declaring_one_role_fail_loudly(declare):
    declare("flowruns", "national_roles", OtherNationalRole)
    with pytest.raises(ImproperlyConfigured, match="national_coordinator"):
        roles.registered_roles()
    assert [error.id for error in check_roles()] == ["organisations.E001"]


def test_demo_seeders_run_in_installed_apps_order():
    assert declarations("demo_seed") == [
        ("organisations", "governance.organisations.demo.seed_organisations_and_people"),
        ("hubs", "governance.hubs.demo.seed_hubs"),
        ("memberships", "governance.memberships.demo.seed_memberships"),
        ("members", "governance.members.demo.seed_members"),
        ("forecasts", "governance.forecasts.demo.seed_forecasts"),
        ("boards", "governance.boards.demo.seed_boards"),
    ]


def test_roles_are_the_national_and_hub_roles_the_apps_declare():
    assert [value for value, _label in roles.registered_roles()] == [
        "national_coordinator",
        "principal_staff",
        "establishment_team",
        "community_manager",
        "owner_group_rep",
        "creative_board_rep",
    ]
    assert roles.national_role_values() == {"national_coordinator"}
    assert roles.role_label("owner_group_rep") == "Ledamot i ägargruppen"
    assert roles.role_label("retired_role") == "retired_role"


def test_the_role_enum_for_schemas_has_every_registered_role():
    assert roles.role_enum().choices == roles.registered_roles()
    assert roles.role_enum().__name__ == "Role"


@pytest.mark.parametrize(
    ("role", "hub_id", "field"),
    [
        ("national_coordinator", 1, "hub"),
        ("community_manager", None, "hub"),
        ("emperor", 1, "role"),
        ("emperor", None, "role"),
    ],
)
def test_a_role_assignment_refuses_a_role_in_the_wrong_place(role, hub_id, field):
    with pytest.raises(ValidationError) as caught:
        RoleAssignment(user_id=1, role=role, hub_id=hub_id).clean()
    assert list(caught.value.message_dict) == [field]


@pytest.mark.parametrize(
    ("role", "hub_id"), [("national_coordinator", None), ("establishment_team", 1)]
)
def test_a_role_assignment_in_its_place_is_valid(role, hub_id):
    RoleAssignment(user_id=1, role=role, hub_id=hub_id).clean()


def _conditions(name: str, phase: str) -> list:
    return transition_from_here(Hub(phase=phase), name).conditions


def test_other_apps_guards_follow_the_hubs_own_in_installed_apps_order():
    assert _conditions("start_up", "preparation") == [
        *hub_guards.LEAVE_PREPARATION,
        membership_guards.fee_schedule_adopted,
        forecast_guards.budget_adopted,
        forecast_guards.financing_covers_liquidity_need,
    ]
    assert _conditions("start_operations", "startup") == hub_guards.LEAVE_STARTUP


def test_a_guard_added_again_is_not_repeated():
    before = list(_conditions("start_up", "preparation"))
    add_conditions(Hub, "start_up", forecast_guards.LEAVE_HUB_PREPARATION)
    assert _conditions("start_up", "preparation") == before


def test_the_hub_facts_include_those_other_apps_declare():
    assert {"has_fee_schedule_in_force", "has_budget_in_force", "peak_liquidity_need_sek"} <= set(
        hub_guards.hub_facts()
    )


@pytest.mark.parametrize(
    ("app_label", "path", "clash"),
    [
        ("forecasts", "governance.memberships.guards.hub_facts", "'memberships'.*'forecasts'"),
        ("forecasts", "tests.core.test_registry.facts_named_like_the_hubs", "'hubs'.*'forecasts'"),
    ],
)
def test_a_hub_fact_declared_twice_fails_loudly(declare, app_label, path, clash):
    declare(app_label, "hub_facts", path)
    with pytest.raises(ImproperlyConfigured, match=clash):
        hub_guards.hub_facts()


def facts_named_like_the_hubs() -> dict[str, object]:
    return {"has_community_manager": models.Value(True)}
