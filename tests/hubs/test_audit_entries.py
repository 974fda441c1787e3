"""Every hub service leaves one audit entry in its transaction, and a refused write none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.audit.models import AuditEntry
from governance.errors import ConflictError
from governance.hubs import services
from governance.hubs.choices import ItemStatus
from governance.hubs.models import Hub, ReadinessScore
from tests.factories import HubFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _entries(verb: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(verb=verb).order_by("pk"))


def test_creating_a_hub(coordinator):
    hub = services.hub_create(
        actor=coordinator, name="Samverket Gävle", municipality="Gävle", county="gavleborg"
    )
    [entry] = _entries("created")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        coordinator,
        "hubs.hub",
        str(hub.pk),
    )
    assert entry.before is None
    assert entry.after["name"] == "Samverket Gävle"
    assert entry.after["county"] == "gavleborg"


def test_updating_a_hub_records_only_what_changed(coordinator):
    hub = HubFactory(notes="")
    principal = OrganisationFactory()
    services.hub_update(
        actor=coordinator,
        hub_id=hub.pk,
        notes="Möte bokat",
        principal_id=principal.pk,
        name=hub.name,
    )
    [entry] = _entries("updated")
    assert entry.before == {"notes": "", "principal": None}
    assert entry.after == {"notes": "Möte bokat", "principal": principal.pk}


def test_an_update_that_changes_nothing_leaves_no_entry(coordinator):
    hub = HubFactory(notes="x")
    services.hub_update(actor=coordinator, hub_id=hub.pk, notes="x")
    assert not _entries("updated")


def test_a_transition_and_the_checklist_it_brings(coordinator):
    hub = HubFactory()
    services.hub_transition(
        actor=coordinator, hub_id=hub.pk, name="start_preparation", comment="Go"
    )
    [moved] = _entries("transition")
    assert (moved.before, moved.after) == ({"phase": "proposed"}, {"phase": "preparation"})
    assert moved.details == {"transition": "start_preparation", "comment": "Go"}
    [added] = _entries("checklist_items_added")
    assert added.object_id == str(hub.pk)
    assert added.details["phase"] == "preparation"
    assert len(added.details["keys"]) == hub.checklist_items.count()


def test_ticking_an_item(hub_in, coordinator):
    hub = hub_in("preparation")
    AuditEntry.objects.all().delete()
    key = hub.checklist_items.first().key
    item = services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.DONE
    )
    [entry] = _entries("checklist_item_changed")
    assert (entry.object_type, entry.object_id) == ("hubs.hubchecklistitem", str(item.pk))
    assert entry.before["status"] == "open"
    assert entry.after["status"] == "done"
    assert entry.after["changed_by"] == coordinator.pk


def test_scoring_readiness_creates_then_updates(coordinator):
    hub = HubFactory()
    services.readiness_update(
        actor=coordinator, hub_id=hub.pk, scores=[{"aspect": "premises", "score": 1, "note": "a"}]
    )
    services.readiness_update(
        actor=coordinator, hub_id=hub.pk, scores=[{"aspect": "premises", "score": 2}]
    )
    first, second = _entries("readiness_scored")
    assert first.before is None
    assert (first.after["score"], first.after["note"]) == (1, "a")
    assert (second.before, second.after) == ({"score": 1}, {"score": 2})


def test_granting_and_revoking_a_role(coordinator):
    hub = HubFactory()
    person = UserFactory(username="elin")
    assignment = services.hub_role_assign(
        actor=coordinator, hub_id=hub.pk, user_id=person.pk, role="community_manager"
    )
    services.hub_role_assign(
        actor=coordinator, hub_id=hub.pk, user_id=person.pk, role="community_manager"
    )
    services.hub_role_remove(actor=coordinator, hub_id=hub.pk, assignment_id=assignment.pk)
    [granted] = _entries("role_granted")
    [revoked] = _entries("role_revoked")
    assert granted.after == {"user": "elin", "role": "community_manager"}
    assert revoked.before == {"user": "elin", "role": "community_manager"}
    assert granted.object_id == revoked.object_id == str(hub.pk)


def test_pulling_new_items(hub_in, coordinator):
    hub = hub_in("preparation")
    removed = hub.checklist_items.order_by("position").last()
    removed.delete()
    AuditEntry.objects.all().delete()
    services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase="preparation")
    [entry] = _entries("checklist_items_added")
    assert entry.details["keys"] == [removed.key]


def test_refused_writes_leave_no_entry_and_change_nothing(hub_in, coordinator):
    hub = hub_in("preparation")
    AuditEntry.objects.all().delete()
    team = UserFactory(roles=[("establishment_team", hub)])
    with pytest.raises(ConflictError):
        services.hub_transition(actor=coordinator, hub_id=hub.pk, name="start_up")
    with pytest.raises(PermissionDenied):
        services.hub_transition(actor=team, hub_id=hub.pk, name="pause")
    with pytest.raises(ValidationError):
        services.hub_update(actor=coordinator, hub_id=hub.pk, notes="ok", county="gotham")
    with pytest.raises(ValidationError):
        services.readiness_update(
            actor=coordinator,
            hub_id=hub.pk,
            scores=[{"aspect": "people", "score": 2}, {"aspect": "premises", "score": 7}],
        )
    assert not AuditEntry.objects.exists()
    hub = Hub.objects.get(pk=hub.pk)
    assert (hub.phase, hub.notes) == ("preparation", "")
    assert not ReadinessScore.objects.filter(hub=hub).exists()


def test_a_readiness_score_above_3_is_a_422_naming_the_entry(coordinator):
    hub = HubFactory()
    with pytest.raises(ValidationError) as refused:
        services.readiness_update(
            actor=coordinator,
            hub_id=hub.pk,
            scores=[{"aspect": "people", "score": 2}, {"aspect": "premises", "score": 7}],
        )
    assert list(refused.value.message_dict) == ["scores.1.score"]
    assert not ReadinessScore.objects.exists()


def test_a_readiness_score_above_3_through_the_api(client_for, coordinator):
    hub = HubFactory()
    response = client_for(coordinator).put(
        f"/api/hubs/{hub.pk}/readiness",
        {"scores": [{"aspect": "premises", "score": 7}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["scores.0.score"]
    assert not ReadinessScore.objects.exists()
