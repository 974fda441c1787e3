"""Every write to hubs: create, update, phase transitions, checklist, readiness, roles."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.errors import ConflictError
from governance.hubs.checklists import load_checklist
from governance.hubs.choices import CHECKLIST_PHASES, ItemStatus
from governance.hubs.guards import unmet_messages
from governance.hubs.models import ChecklistVersion, Hub, HubChecklistItem, ReadinessScore
from governance.organisations.models import Organisation, RoleAssignment
from governance.organisations.roles import forget_user_roles, national_role_values
from governance.permissions import require_permission

HUB_FIELDS = frozenset(
    {
        "name",
        "municipality",
        "county",
        "principal_id",
        "premises_address",
        "premises_status",
        "preparation_planned_on",
        "startup_planned_on",
        "operations_planned_on",
        "notes",
    }
)


def _apply_hub_fields(hub: Hub, fields: dict[str, Any]) -> None:
    unknown = set(fields) - HUB_FIELDS
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in sorted(unknown)})
    principal_id = fields.get("principal_id")
    if principal_id is not None and not Organisation.objects.filter(pk=principal_id).exists():
        raise ValidationError({"principal_id": _("Det finns ingen organisation med detta id.")})
    for name, value in fields.items():
        setattr(hub, name, value)
    hub.full_clean(exclude=["phase"])


def _save_hub(hub: Hub, **options: Any) -> None:
    try:
        with transaction.atomic():
            hub.save(**options)
    except IntegrityError as error:
        raise ValidationError({"name": _("Det finns redan en hubb med detta namn.")}) from error


@transaction.atomic
def hub_create(*, actor: User, **fields: Any) -> Hub:
    """Propose a new hub; it starts in the phase 'proposed' without a checklist."""
    require_permission(actor, "hubs.add_hub")
    hub = Hub()
    _apply_hub_fields(hub, fields)
    _save_hub(hub)
    return hub


@transaction.atomic
def hub_update(*, actor: User, hub_id: int, **fields: Any) -> Hub:
    """Change a hub's details; all fields valid or nothing saved."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.change_hub", hub)
    _apply_hub_fields(hub, fields)
    _save_hub(hub, update_fields=[*fields, "updated_at"])
    return hub


def _transitions_named(name: str) -> list[Any]:
    return [t for t in Hub._meta.get_field("phase").get_all_transitions(Hub) if t.name == name]


@transaction.atomic
def hub_transition(*, actor: User, hub_id: int, name: str, comment: str = "") -> Hub:
    """Run one phase transition, log it, and give the hub the new phase's checklist."""
    named = _transitions_named(name)
    if not named:
        raise Hub.DoesNotExist(f"No transition {name!r}")
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    if not named[0].has_perm(hub, actor):
        raise PermissionDenied("hubs.move_hub")
    from_here = next((t for t in named if t.source in (hub.phase, "*")), None)
    if from_here is None:
        raise _not_allowed(hub, actor, name, reasons=[])
    reasons = unmet_messages(hub, from_here.conditions)
    if reasons:
        raise _not_allowed(hub, actor, name, reasons=reasons)
    getattr(hub, name)(by=actor, description=comment)
    hub.save()
    if hub.phase in CHECKLIST_PHASES and not hub.checklist_items.filter(phase=hub.phase).exists():
        _add_checklist_items(hub, _current_version(hub.phase), existing_keys=set())
    return hub


def hub_available_transitions(hub: Hub, user: User) -> list[Any]:
    """Transitions the user may run on the hub now (role and conditions)."""
    return list(hub.get_available_user_phase_transitions(user))


def _not_allowed(hub: Hub, actor: User, name: str, *, reasons: list[str]) -> ConflictError:
    allowed = [transition.name for transition in hub_available_transitions(hub, actor)]
    label = str(_transitions_named(name)[0].custom.get("label", name))
    words = {"label": label, "phase": hub.get_phase_display()}
    if reasons:
        message = _("”%(label)s” kan inte göras än: villkoren nedan är inte uppfyllda.") % words
    else:
        message = _("”%(label)s” går inte från fasen ”%(phase)s”.") % words
    return ConflictError(
        "transition_not_allowed", message, state=hub.phase, allowed=allowed, unmet=reasons
    )


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
    hub: Hub, version: ChecklistVersion, *, existing_keys: set[str]
) -> list[HubChecklistItem]:
    # New items go after the ones the hub has; keys are unique per hub, so that is their count.
    start = len(existing_keys)
    new = [item for item in version.items if item["key"] not in existing_keys]
    return HubChecklistItem.objects.bulk_create(
        HubChecklistItem.from_version(hub, version, item, position=start + offset)
        for offset, item in enumerate(new)
    )


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
    return _add_checklist_items(hub, _current_version(phase), existing_keys=existing)


ITEM_FIELDS = frozenset({"status", "not_applicable_reason", "note", "evidence_url"})


@transaction.atomic
def checklist_item_update(*, actor: User, hub_id: int, key: str, **fields: Any) -> HubChecklistItem:
    """Mark a checklist item done, open or not applicable, or change its note and evidence."""
    item = (
        HubChecklistItem.objects.select_for_update()
        .select_related("hub")
        .get(hub_id=hub_id, key=key)
    )
    require_permission(actor, "hubs.change_checklist", item.hub)
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError({name: _("Okänt fält.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(item, name, value)
    if item.status == ItemStatus.NOT_APPLICABLE:
        if not item.not_applicable_reason.strip():
            raise ValidationError(
                {"not_applicable_reason": _("Ange varför punkten inte är tillämplig.")}
            )
        if item.required and "status" in fields:
            try:
                require_permission(actor, "hubs.waive_required_item", item.hub)
            except PermissionDenied as error:
                raise PermissionDenied(
                    _(
                        "Bara den nationella koordinatorn kan markera en obligatorisk punkt "
                        "som ej tillämplig."
                    )
                ) from error
    else:
        item.not_applicable_reason = ""
    if "status" in fields:
        item.changed_by = actor
        item.changed_at = timezone.now()
    item.full_clean(exclude=["hub", "version"])
    item.save()
    return item


@transaction.atomic
def readiness_update(
    *, actor: User, hub_id: int, scores: Iterable[dict[str, Any]]
) -> list[ReadinessScore]:
    """Set the hub's score (0–3) and note on one or more of the four readiness aspects."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.change_readiness", hub)
    saved = []
    for entry in scores:
        row, _created = ReadinessScore.objects.get_or_create(
            hub=hub, aspect=entry["aspect"], defaults={"score": entry["score"]}
        )
        row.score = entry["score"]
        row.note = entry.get("note", row.note)
        row.updated_by = actor
        row.full_clean(exclude=["hub"])
        row.save()
        saved.append(row)
    return saved


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
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, hub=hub)
    forget_user_roles(user)
    return assignment


@transaction.atomic
def hub_role_remove(*, actor: User, hub_id: int, assignment_id: int) -> None:
    """Take a hub role away from a user."""
    hub = Hub.objects.select_for_update().get(pk=hub_id)
    require_permission(actor, "hubs.assign_hub_roles", hub)
    RoleAssignment.objects.get(pk=assignment_id, hub=hub).delete()
