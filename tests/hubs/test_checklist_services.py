"""A hub's checklist: taken from the version current on entering a phase, never rewritten."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError

from governance.audit.models import AuditEntry
from governance.hubs import services
from governance.hubs.choices import ItemStatus
from governance.hubs.models import ChecklistVersion, Hub
from tests.factories import HubChecklistItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editable_checklists(tmp_path, settings):
    """A copy of the playbook checklists that a test may edit."""
    shutil.copytree(Path(django_settings.PLAYBOOK_CHECKLISTS_DIR), tmp_path / "lists")
    settings.PLAYBOOK_CHECKLISTS_DIR = tmp_path / "lists"
    return tmp_path / "lists"


def _edit(directory: Path, phase: str, change) -> None:
    path = directory / f"{phase}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["items"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _new_item(key: str, required: bool = False) -> dict:
    return {
        "key": key,
        "title": {"sv": "Ny punkt", "en": "New item"},
        "description": {"sv": "Beskrivning.", "en": "Description."},
        "responsible_role": "establishment_team",
        "required": required,
        "playbook_ref": "Lärdomar, rekommendationer",
    }


def test_later_edits_of_the_yaml_do_not_rewrite_a_hubs_checklist(
    editable_checklists, hub_in, coordinator
):
    hub = hub_in("preparation")
    before = list(hub.checklist_items.values_list("key", "title_sv", "version_id"))

    def retitle_and_add(items):
        items[0]["title"]["sv"] = "Omskriven titel"
        items.append(_new_item("prep-brand-new", required=True))

    _edit(editable_checklists, "preparation", retitle_and_add)
    later = hub_in("preparation")

    assert list(hub.checklist_items.values_list("key", "title_sv", "version_id")) == before
    assert later.checklist_items.get(key=before[0][0]).title_sv == "Omskriven titel"
    assert later.checklist_items.filter(key="prep-brand-new").exists()
    assert ChecklistVersion.objects.filter(phase="preparation").count() == 2


def test_same_file_gives_the_same_version(hub_in):
    first, second = hub_in("preparation"), hub_in("preparation")
    assert ChecklistVersion.objects.filter(phase="preparation").count() == 1
    assert {i.version_id for i in first.checklist_items.all()} == {
        i.version_id for i in second.checklist_items.all()
    }


def test_coordinator_pulls_in_only_the_new_items(editable_checklists, hub_in, coordinator):
    hub = hub_in("preparation")
    done_key = hub.checklist_items.first().key
    services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=done_key, status=ItemStatus.DONE
    )
    count = hub.checklist_items.count()
    _edit(editable_checklists, "preparation", lambda items: items.append(_new_item("prep-extra")))

    added = services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase="preparation")

    assert [item.key for item in added] == ["prep-extra"]
    assert hub.checklist_items.count() == count + 1
    assert hub.checklist_items.get(key="prep-extra").position == count
    assert hub.checklist_items.get(key=done_key).status == ItemStatus.DONE
    assert (
        services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase="preparation")
        == []
    )


def test_pulling_items_is_the_coordinators_call(hub_in):
    hub = hub_in("preparation")
    team = UserFactory(roles=[("establishment_team", hub)])
    with pytest.raises(PermissionDenied):
        services.checklist_pull_new_items(actor=team, hub_id=hub.pk, phase="preparation")


def test_pulling_items_for_a_phase_not_yet_entered_is_refused(hub_in, coordinator):
    hub = hub_in("preparation")
    with pytest.raises(ValidationError) as refused:
        services.checklist_pull_new_items(actor=coordinator, hub_id=hub.pk, phase="startup")
    assert "phase" in refused.value.message_dict


def test_marking_done_records_who_and_when_and_reopening_keeps_the_trail(hub_in):
    hub = hub_in("preparation")
    team = UserFactory(roles=[("establishment_team", hub)])
    key = hub.checklist_items.first().key
    item = services.checklist_item_update(
        actor=team,
        hub_id=hub.pk,
        key=key,
        status=ItemStatus.DONE,
        note="Workshop 3 maj",
        evidence_url="https://example.se/protokoll.pdf",
    )
    assert (item.status, item.changed_by, item.note) == (ItemStatus.DONE, team, "Workshop 3 maj")
    assert item.changed_at is not None

    coordinator = UserFactory(roles=["national_coordinator"])
    reopened = services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.OPEN
    )
    assert (reopened.status, reopened.changed_by) == (ItemStatus.OPEN, coordinator)
    assert (reopened.note, reopened.evidence_url) == (
        "Workshop 3 maj",
        "https://example.se/protokoll.pdf",
    )
    trail = AuditEntry.objects.filter(
        verb="checklist_item_changed", object_id=str(item.pk)
    ).order_by("occurred_at", "pk")
    assert [
        (entry.actor, entry.before.get("status"), entry.after["status"]) for entry in trail
    ] == [
        (team, "open", "done"),
        (coordinator, "done", "open"),
    ]


def test_not_applicable_needs_a_reason(hub_in, coordinator):
    hub = hub_in("preparation")
    key = hub.checklist_items.filter(required=False).first().key
    with pytest.raises(ValidationError) as refused:
        services.checklist_item_update(
            actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.NOT_APPLICABLE
        )
    assert "not_applicable_reason" in refused.value.message_dict
    assert Hub.objects.get(pk=hub.pk).checklist_items.get(key=key).status == ItemStatus.OPEN


def test_team_may_waive_an_optional_item_but_not_a_required_one(hub_in):
    hub = hub_in("preparation")
    team = UserFactory(roles=[("establishment_team", hub)])
    optional = hub.checklist_items.filter(required=False).first().key
    required = hub.checklist_items.filter(required=True).first().key
    services.checklist_item_update(
        actor=team,
        hub_id=hub.pk,
        key=optional,
        status=ItemStatus.NOT_APPLICABLE,
        not_applicable_reason="Görs nationellt.",
    )
    with pytest.raises(PermissionDenied):
        services.checklist_item_update(
            actor=team,
            hub_id=hub.pk,
            key=required,
            status=ItemStatus.NOT_APPLICABLE,
            not_applicable_reason="Vill hoppa över.",
        )
    assert hub.checklist_items.get(key=required).status == ItemStatus.OPEN


def test_reopening_clears_the_not_applicable_reason(hub_in, coordinator):
    hub = hub_in("preparation")
    key = hub.checklist_items.first().key
    services.checklist_item_update(
        actor=coordinator,
        hub_id=hub.pk,
        key=key,
        status=ItemStatus.NOT_APPLICABLE,
        not_applicable_reason="Ej aktuellt.",
    )
    item = services.checklist_item_update(
        actor=coordinator, hub_id=hub.pk, key=key, status=ItemStatus.OPEN
    )
    assert item.not_applicable_reason == ""


def test_someone_from_another_hub_cannot_tick_items(hub_in):
    hub, other = hub_in("preparation"), hub_in("preparation")
    outsider = UserFactory(roles=[("establishment_team", other)])
    key = hub.checklist_items.first().key
    with pytest.raises(PermissionDenied):
        services.checklist_item_update(
            actor=outsider, hub_id=hub.pk, key=key, status=ItemStatus.DONE
        )


def test_the_models_clean_wants_a_reason_for_not_applicable():
    item = HubChecklistItemFactory(status=ItemStatus.NOT_APPLICABLE, not_applicable_reason=" ")
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert list(refused.value.message_dict) == ["not_applicable_reason"]
    item.not_applicable_reason = "Lokalen ägs av huvudmannen."
    item.full_clean()
