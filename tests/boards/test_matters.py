"""Matters: who raises which, what each kind carries, the draft, the machine and its guards,
progress notes; through the services and /api/proposals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.audit.context import acting_for_flow_run
from governance.audit.models import AuditEntry
from governance.boards.choices import Body, MatterOrigin, MatterState
from governance.boards.matters import (
    matter_create,
    matter_route,
    matter_transition,
    matter_update,
    progress_note_add,
)
from governance.boards.models import Matter
from governance.errors import ConflictError
from governance.flowruns.models import FlowRun
from tests.factories import FeeScheduleFactory, HubFactory
from tests.forecasts.factories import BudgetFactory

OG = Body.OWNER_GROUP


def create(actor, hub, **fields):
    values = {"title": "Ett ärende", "text": "Beskrivning", "origin": "principal", "kind": "other"}
    return matter_create(actor=actor, hub_id=hub.pk, **{**values, **fields})


def routed(seated, **fields):
    """A matter submitted and routed by the service the flow calls (no flow run here)."""
    matter = create(seated.principal, seated.hub, **fields)
    route_in_a_run(matter)
    return Matter.objects.get(pk=matter.pk)


def route_in_a_run(matter: Matter) -> dict:
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.SUBMITTED)
    run = FlowRun.objects.create(flow_name="route_board_matter", parameters={})
    with acting_for_flow_run(run.pk):
        return matter_route(matter_id=matter.pk, flow_run_id=run.pk)


@pytest.mark.parametrize(
    ("who", "origin", "allowed"),
    [
        ("principal", "principal", True),
        ("principal", "community", True),
        ("owner", "owner_group", True),
        ("owner", "creative_board", False),
        ("board_member", "creative_board", True),
        ("board_member", "owner_group", False),
        ("community_manager", "community", True),
        ("community_manager", "principal", False),
        ("coordinator", "national", True),
        ("coordinator", "principal", False),
    ],
)
def test_who_may_give_which_origin(seated, coordinator, who, origin, allowed):
    actor = {
        "principal": seated.principal,
        "owner": seated.owners[0],
        "board_member": seated.board_members[0],
        "community_manager": seated.community_manager,
        "coordinator": coordinator,
    }[who]
    if allowed:
        assert create(actor, seated.hub, origin=origin).origin == origin
    else:
        with pytest.raises(ValidationError) as refused:
            create(actor, seated.hub, origin=origin)
        assert "origin" in refused.value.message_dict


def test_an_outsider_may_raise_no_matter(seated):
    with pytest.raises(PermissionDenied):
        create(seated.outsider, seated.hub, origin="community")


def test_a_budget_matter_needs_a_draft_budget_of_the_same_hub(seated):
    with pytest.raises(ValidationError) as refused:
        create(seated.principal, seated.hub, kind="budget")
    assert "budget_id" in refused.value.message_dict
    other = BudgetFactory(hub=HubFactory())
    with pytest.raises(ValidationError) as refused:
        create(seated.principal, seated.hub, kind="budget", budget_id=other.pk)
    assert "budget_id" in refused.value.message_dict
    budget = BudgetFactory(hub=seated.hub)
    matter = create(seated.principal, seated.hub, kind="budget", budget_id=budget.pk)
    assert matter.budget == budget


def test_a_fee_level_matter_needs_a_draft_fee_schedule_and_other_kinds_carry_neither(seated):
    with pytest.raises(ValidationError) as refused:
        create(seated.principal, seated.hub, kind="fee_levels")
    assert "fee_schedule_id" in refused.value.message_dict
    schedule = FeeScheduleFactory(hub=seated.hub)
    assert (
        create(
            seated.principal, seated.hub, kind="fee_levels", fee_schedule_id=schedule.pk
        ).fee_schedule
        == schedule
    )
    with pytest.raises(ValidationError) as refused:
        create(seated.principal, seated.hub, kind="strategic", fee_schedule_id=schedule.pk)
    assert "fee_schedule_id" in refused.value.message_dict


def test_budget_impact_is_sek_in_and_ore_stored_and_creation_is_audited(seated):
    matter = create(seated.principal, seated.hub, budget_impact=12_500)
    assert matter.budget_impact_ore == 1_250_000
    assert AuditEntry.objects.filter(verb="created", object_id=str(matter.pk)).exists()


def test_only_a_draft_changes(seated):
    matter = create(seated.owners[0], seated.hub, origin="owner_group", kind="strategic")
    matter_update(actor=seated.owners[0], matter_id=matter.pk, title="Ny rubrik")
    assert Matter.objects.get(pk=matter.pk).title == "Ny rubrik"
    with pytest.raises(PermissionDenied):
        matter_update(actor=seated.owners[1], matter_id=matter.pk, title="Inte min")
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.SUBMITTED)
    with pytest.raises(ConflictError) as refused:
        matter_update(actor=seated.owners[0], matter_id=matter.pk, title="För sent")
    assert refused.value.code == "matter_not_draft"


def test_submit_needs_a_text_and_dispatches_the_routing_flow(seated):
    matter = create(seated.principal, seated.hub, text=" ")
    with pytest.raises(ConflictError) as refused:
        matter_transition(actor=seated.principal, matter_id=matter.pk, name="submit")
    assert refused.value.details["unmet"] == ["Ärendet behöver en beskrivning."]
    matter_update(actor=seated.principal, matter_id=matter.pk, text="Nu finns en text")
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="submit")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.SUBMITTED
    run = FlowRun.objects.get(flow_name="route_board_matter")
    assert run.parameters == {"matter_id": matter.pk}


def test_routing_records_the_route_and_reason_and_is_idempotent(seated):
    matter = routed(seated, origin="community", kind="strategic")
    assert matter.state == MatterState.ROUTED
    assert matter.board == seated.creative_board
    (route,) = matter.routes.all()
    assert route.proposed
    assert route.reason == matter.route_reason
    again = matter_route(matter_id=matter.pk, flow_run_id=None)
    assert again["routed"] is False
    assert matter.routes.count() == 1


def test_the_principal_may_not_route_by_hand_without_a_body(seated):
    matter = create(seated.principal, seated.hub)
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.SUBMITTED)
    with pytest.raises(ConflictError) as refused:
        matter_transition(actor=seated.principal, matter_id=matter.pk, name="route")
    assert "Ärendet har inte fördelats till något organ än." in refused.value.details["unmet"]


def test_review_then_withdraw_by_the_author_only_before_a_decision(seated):
    matter = routed(seated, origin="principal", kind="other")
    assert matter.board == seated.owner_group
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="review")
    with pytest.raises(PermissionDenied):
        matter_transition(actor=seated.owners[0], matter_id=matter.pk, name="withdraw")
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="withdraw")
    assert Matter.objects.get(pk=matter.pk).state == MatterState.WITHDRAWN


def test_a_decided_matter_cannot_be_withdrawn_and_adopted_ones_are_implemented(seated):
    matter = routed(seated)
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="review")
    with pytest.raises(ConflictError):
        progress_note_add(actor=seated.principal, matter_id=matter.pk, text="För tidigt")
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="adopt")
    with pytest.raises(ConflictError) as refused:
        matter_transition(actor=seated.principal, matter_id=matter.pk, name="withdraw")
    assert refused.value.details["state"] == MatterState.ADOPTED
    note = progress_note_add(actor=seated.principal, matter_id=matter.pk, text="Halvvägs")
    assert AuditEntry.objects.filter(verb="created", object_id=str(note.pk)).exists()
    matter_transition(actor=seated.principal, matter_id=matter.pk, name="implement")
    progress_note_add(actor=seated.principal, matter_id=matter.pk, text="Klart")
    assert Matter.objects.get(pk=matter.pk).progress_notes.count() == 2
    with pytest.raises(PermissionDenied):
        progress_note_add(actor=seated.owners[1], matter_id=matter.pk, text="Inte min")


def test_a_creative_board_initiative_that_needs_money_goes_on_to_the_owner_group(seated):
    matter = create(
        seated.board_members[0],
        seated.hub,
        origin="creative_board",
        kind="collaboration",
        budget_impact=20_000,
    )
    result = route_in_a_run(matter)
    matter = Matter.objects.get(pk=matter.pk)
    assert (matter.origin, matter.board) == (MatterOrigin.CREATIVE_BOARD, seated.owner_group)
    assert result["proposed"] is False
    assert "pengar" in matter.route_reason


# --- the API ------------------------------------------------------------------------------------


def test_api_creates_lists_filters_reads_and_patches(seated, api_client):
    client = api_client(seated.community_manager)
    answer = client.post(
        "/api/proposals",
        {
            "hub_id": seated.hub.pk,
            "title": "Öppet hus",
            "text": "Communityn vill ha öppet hus varje månad.",
            "origin": "community",
            "kind": "collaboration",
            "addressed_body": "owner_group",
            "budget_impact": 5000,
        },
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["budget_impact"], body["addressed_body"], body["state"]) == (5000, OG, "draft")
    create(seated.principal, seated.hub, kind="strategic")
    listed = api_client(seated.owners[0]).get(
        f"/api/proposals?hub={seated.hub.pk}&kind=collaboration"
    )
    assert [m["id"] for m in listed.json()["items"]] == [body["id"]]
    assert api_client(seated.outsider).get("/api/proposals").json()["items"] == []
    patched = client.patch(f"/api/proposals/{body['id']}", {"title": "Öppet hus i hubben"})
    assert patched.json()["title"] == "Öppet hus i hubben"
    assert api_client(seated.outsider).get(f"/api/proposals/{body['id']}").status_code == 403


def test_api_bad_input_is_422_naming_the_field_and_a_wrong_transition_409(seated, api_client):
    client = api_client(seated.principal)
    answer = client.post(
        "/api/proposals",
        {
            "hub_id": seated.hub.pk,
            "title": "B",
            "text": "T",
            "origin": "principal",
            "kind": "budget",
        },
    )
    assert answer.status_code == 422
    assert "budget_id" in str(answer.json())
    matter = create(seated.principal, seated.hub)
    answer = client.post(f"/api/proposals/{matter.pk}/transitions/adopt")
    assert answer.status_code == 409
    assert "draft" in str(answer.json())
    answer = client.get(f"/api/proposals/{matter.pk}/transitions")
    assert [t["name"] for t in answer.json()["available"]] == ["submit", "withdraw"]
