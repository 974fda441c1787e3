"""Every write to hubs: create, update, phase transitions, checklist, readiness, roles.

Each service locks what two people could change at once, checks the permission in rules.py,
writes through the shared write helper (governance/writes.py) or the lifecycle toolkit, and
records an audit entry in the same transaction.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit.services import audit_changes, audit_record
from governance.hubs.checklists import load_checklist
from governance.hubs.choices import CHECKLIST_PHASES, ItemStatus
from governance.hubs.guards import hub_facts
from governance.hubs.models import ChecklistVersion, Hub, HubChecklistItem, ReadinessScore
from governance.lifecycle.services import transition_run
from governance.organisations.models import RoleAssignment
from governance.organisations.roles import forget_user_roles, national_role_values
from governance.permissions import require_permission
from governance.writes import model_create, model_update

# The hub's details a person may set; the phase and its dates belong to the transitions.
HUB_EDITABLE_FIELDS = [
    "name",
    "municipality",
    "county",
    "principal",
    "premises_address",
    "premises_status",
    "preparation_planned_on",
    "startup_planned_on",
    "operations_planned_on",
    "notes",
]
CHECKLIST_ITEM_EDITABLE_FIELDS = ["status", "not_applicable_reason", "note", "evidence_url"]
READINESS_EDITABLE_FIELDS = ["score", "note"]


@transaction.atomic
def hub_create(*, actor: User, **fields: Any) -> Hub:
    """Propose a new hub; it starts in the phase 'proposed' without a checklist."""
    require_permission(actor, "hubs.add_hub")
    hub, changes = model_create(Hub, data=fields, fields=HUB_EDITABLE_FIELDS)
    audit_changes(actor=actor, verb="created", target=hub, changes=changes)
    return hub


@transaction.atomic
def hub_update(*, actor: User, hub_id: int, **fields: Any) -> Hub:
    """Change a hub's details; all fields valid or nothing saved."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.change_hub", hub)
    if _chosen_principal_id(fields, default=hub.principal_id) != hub.principal_id:
        require_permission(actor, "hubs.choose_principal", hub)
    changes = model_update(hub, data=fields, fields=HUB_EDITABLE_FIELDS)
    audit_changes(actor=actor, verb="updated", target=hub, changes=changes)
    return hub


def _chosen_principal_id(fields: dict[str, Any], *, default: int | None) -> Any:
    # Written by the field's name or its column's, as an id or an organisation.
    chosen = fields.get("principal", fields.get("principal_id", default))
    return getattr(chosen, "pk", chosen)


@transaction.atomic
def hub_transition(*, actor: User, hub_id: int, name: str, comment: str = "") -> Hub:
    """Run one phase transition; a hub entering a phase for the first time gets its checklist."""
    hub = transition_run(
        Hub.objects.annotate(**hub_facts()), pk=hub_id, name=name, actor=actor, comment=comment
    )
    if hub.phase in CHECKLIST_PHASES and not hub.checklist_items.filter(phase=hub.phase).exists():
        _add_checklist_items(hub, _current_version(hub.phase), existing_keys=set(), actor=actor)
    return hub


def _current_version(phase: str) -> ChecklistVersion:
    loaded = load_checklist(phase)
    version, _created = ChecklistVersion.objects.get_or_create(
        phase=phase,
        sha256=loaded.sha256,
        defaults={
            "source_file": loaded.source_file,
            "items": [item.model_dump(mode="json") for item in loaded.items],
        },
    )
    return version


def _add_checklist_items(
    hub: Hub, version: ChecklistVersion, *, existing_keys: set[str], actor: User
) -> list[HubChecklistItem]:
    # New items go after the ones the hub has; keys are unique per hub, so that is their count.
    start = len(existing_keys)
    new = [item for item in version.items if item["key"] not in existing_keys]
    added = HubChecklistItem.objects.bulk_create(
        HubChecklistItem.from_version(hub, version, item, position=start + offset)
        for offset, item in enumerate(new)
    )
    if added:
        audit_record(
            actor=actor,
            verb="checklist_items_added",
            target=hub,
            details={
                "phase": version.phase,
                "version": version.sha256[:12],
                "keys": [item.key for item in added],
            },
        )
    return added


@transaction.atomic
def checklist_pull_new_items(*, actor: User, hub_id: int, phase: str) -> list[HubChecklistItem]:
    """Add the items the current checklist file has and the hub's list for ``phase`` lacks.

    Existing items stay as they are: a hub's history is not rewritten by later edits.
    """
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.pull_checklist_items", hub)
    if phase not in CHECKLIST_PHASES:
        raise ValidationError({"phase": _("Fasen har ingen checklista.")})
    existing = set(hub.checklist_items.filter(phase=phase).values_list("key", flat=True))
    if not existing:
        raise ValidationError(
            {"phase": _("Hubben har inte gått in i denna fas; checklistan kommer då.")}
        )
    return _add_checklist_items(hub, _current_version(phase), existing_keys=existing, actor=actor)


@transaction.atomic
def checklist_item_update(*, actor: User, hub_id: int, key: str, **fields: Any) -> HubChecklistItem:
    """Mark a checklist item done, open or not applicable, or change its note and evidence."""
    item = (
        HubChecklistItem.objects.select_for_update()
        .select_related("hub")
        .get(hub_id=hub_id, key=key)
    )
    require_permission(actor, "hubs.change_checklist", item.hub)
    data = dict(fields)
    status = data.get("status", item.status)
    if status == ItemStatus.NOT_APPLICABLE and item.required and "status" in fields:
        _require_waiver(actor, item.hub)
    if status != ItemStatus.NOT_APPLICABLE:
        data["not_applicable_reason"] = ""
    if "status" in fields:
        data.update(changed_by=actor.pk, changed_at=timezone.now())
    changes = model_update(
        item, data=data, fields=[*CHECKLIST_ITEM_EDITABLE_FIELDS, "changed_by", "changed_at"]
    )
    audit_changes(actor=actor, verb="checklist_item_changed", target=item, changes=changes)
    return item


def _require_waiver(actor: User, hub: Hub) -> None:
    try:
        require_permission(actor, "hubs.waive_required_item", hub)
    except PermissionDenied as error:
        raise PermissionDenied(
            _(
                "Bara den nationella koordinatorn kan markera en obligatorisk punkt "
                "som ej tillämplig."
            )
        ) from error


@transaction.atomic
def readiness_update(
    *, actor: User, hub_id: int, scores: Iterable[dict[str, Any]]
) -> list[ReadinessScore]:
    """Set the hub's score (0–3) and note on one or more of the four readiness aspects.

    Every score is validated before anything is saved; one bad score saves none of them.
    """
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.change_readiness", hub)
    existing = {row.aspect: row for row in hub.readiness_scores.all()}
    saved = []
    for index, entry in enumerate(scores):
        with _errors_named_as_entry(index):
            saved.append(_readiness_score_set(hub, entry, existing.get(entry["aspect"]), actor))
    return saved


@contextmanager
def _errors_named_as_entry(index: int) -> Iterator[None]:
    """Field errors named after the entry they belong to, e.g. ``scores.1.score``."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {f"scores.{index}.{name}": messages for name, messages in error.error_dict.items()}
        ) from error


def _readiness_score_set(
    hub: Hub, entry: dict[str, Any], row: ReadinessScore | None, actor: User
) -> ReadinessScore:
    data = {name: entry[name] for name in READINESS_EDITABLE_FIELDS if name in entry}
    if row is None:
        row, changes = model_create(
            ReadinessScore,
            data={**data, "hub": hub.pk, "aspect": entry["aspect"], "updated_by": actor.pk},
            fields=[*READINESS_EDITABLE_FIELDS, "hub", "aspect", "updated_by"],
        )
    else:
        changes = model_update(
            row, data={**data, "updated_by": actor.pk}, fields=[*data, "updated_by"]
        )
    audit_changes(actor=actor, verb="readiness_scored", target=row, changes=changes)
    return row


@transaction.atomic
def hub_role_assign(*, actor: User, hub_id: int, user_id: int, role: str) -> RoleAssignment:
    """Give a user a role in a hub (principal staff, team, CM, board representative)."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.assign_hub_roles", hub)
    if role in national_role_values():
        raise ValidationError({"role": _("En nationell roll hör inte till en hubb.")})
    try:
        user = User.objects.get(pk=user_id)
    except ObjectDoesNotExist as error:
        raise ValidationError({"user_id": _("Det finns ingen användare med detta id.")}) from error
    assignment = RoleAssignment.objects.filter(user=user, role=role, hub=hub).first()
    if assignment is not None:
        return assignment
    assignment, _changes = model_create(
        RoleAssignment,
        data={"user": user.pk, "role": role, "hub": hub.pk},
        fields=["user", "role", "hub"],
    )
    forget_user_roles(user)
    audit_record(
        actor=actor,
        verb="role_granted",
        target=hub,
        after={"user": user.get_username(), "role": role},
        details={"assignment_id": assignment.pk},
    )
    return assignment


@transaction.atomic
def hub_role_remove(*, actor: User, hub_id: int, assignment_id: int) -> None:
    """Take a hub role away from a user."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.assign_hub_roles", hub)
    assignment = RoleAssignment.objects.select_related("user").get(pk=assignment_id, hub=hub)
    assignment.delete()
    forget_user_roles(assignment.user)
    audit_record(
        actor=actor,
        verb="role_revoked",
        target=hub,
        before={"user": assignment.user.get_username(), "role": assignment.role},
        details={"assignment_id": assignment_id},
    )
