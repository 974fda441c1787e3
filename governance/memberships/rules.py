"""Who may do what with fee schedules and agreements (API section of issue 11):

- the national coordinator everything, and national agreements and schedules only he;
- a hub's principal staff manage its agreements and prepare and adopt (by recording the
  organisations' agreement) its fee schedules;
- the hub's community manager may prepare agreement drafts: the intake (playbook "Avtal,
  upphandling och administration": "CM tar in avtalsunderlag");
- people of a member organisation read their own organisation's agreements;
- everyone else is refused (403).
Every signed-in user reads fee schedules: the levels are agreed openly among the organisations.
"""

import rules

from governance.organisations import roles
from governance.organisations.rules import is_national_coordinator

PRINCIPAL_STAFF, COMMUNITY_MANAGER = "principal_staff", "community_manager"


def _hub_id(obj: object) -> int | None:
    """The hub of a hub, fee schedule or agreement; None for national ones (or no object)."""
    if obj is None:
        return None
    if obj._meta.model_name == "hub":
        return obj.pk
    return obj.hub_id


def _holds_in_objects_hub(*hub_roles: str) -> rules.Predicate:
    @rules.predicate(name=f"holds_in_objects_hub:{'|'.join(hub_roles)}")
    def predicate(user, obj) -> bool:
        hub_id = _hub_id(obj)
        return hub_id is not None and bool(roles.hub_roles(user, hub_id) & set(hub_roles))

    return predicate


principal_staff_of_hub = _holds_in_objects_hub(PRINCIPAL_STAFF)
principal_staff_or_cm_of_hub = _holds_in_objects_hub(PRINCIPAL_STAFF, COMMUNITY_MANAGER)


@rules.predicate
def of_member_organisation(user, agreement) -> bool:
    person = getattr(user, "person", None)
    return (
        agreement is not None
        and person is not None
        and person.organisation_id is not None
        and person.organisation_id == agreement.member_id
    )


@rules.predicate
def is_draft(user, agreement) -> bool:
    return agreement is not None and agreement.state == "draft"


@rules.predicate
def may_see_some_agreements(user) -> bool:
    person = getattr(user, "person", None)
    return roles.holds_role_anywhere(user, PRINCIPAL_STAFF, COMMUNITY_MANAGER) or (
        person is not None and person.organisation_id is not None
    )


rules.add_perm("memberships.view_feeschedule", rules.is_authenticated)
rules.add_perm("memberships.create_fee_schedule", is_national_coordinator | principal_staff_of_hub)
rules.add_perm("memberships.change_fee_schedule", is_national_coordinator | principal_staff_of_hub)
rules.add_perm("memberships.adopt_fee_schedule", is_national_coordinator | principal_staff_of_hub)

rules.add_perm("memberships.list_agreements", is_national_coordinator | may_see_some_agreements)
rules.add_perm(
    "memberships.view_agreement",
    is_national_coordinator | principal_staff_or_cm_of_hub | of_member_organisation,
)
# The intake: a new draft (object: the hub; none for a national agreement) and its changes.
rules.add_perm(
    "memberships.create_agreement", is_national_coordinator | principal_staff_or_cm_of_hub
)
rules.add_perm(
    "memberships.edit_agreement_draft",
    is_national_coordinator | principal_staff_of_hub | (principal_staff_or_cm_of_hub & is_draft),
)
# Transitions, signatures, the signed copy, termination, renewal: the principal's formal
# administration.
rules.add_perm("memberships.manage_agreement", is_national_coordinator | principal_staff_of_hub)


@rules.predicate
def principal_staff_anywhere(user) -> bool:
    return roles.holds_role_anywhere(user, PRINCIPAL_STAFF)


# Asked without an object: whether the person manages any agreements (the start page's boxes).
rules.add_perm(
    "memberships.manage_some_agreements", is_national_coordinator | principal_staff_anywhere
)

# The seat model: the organisation names who holds its seats (playbook "Medlemskap"), and the
# principal may do it for them.
rules.add_perm(
    "memberships.name_seat_holders",
    is_national_coordinator | principal_staff_of_hub | of_member_organisation,
)

# Templates are the national owner's: one wording for every hub, versions kept.
rules.add_perm("memberships.upload_agreement_template", is_national_coordinator)
rules.add_perm(
    "memberships.list_agreement_templates", is_national_coordinator | may_see_some_agreements
)

nobody = rules.always_deny

# The admin (governance/core/admin.py): the coordinator reads; writes go through the API's
# services, which check the intake and the overlap rule the admin's forms cannot.
rules.add_perm("memberships", is_national_coordinator)
for model_name in (
    "feeschedule",
    "feetier",
    "agreement",
    "agreementdiscount",
    "agreementlocality",
    "agreementtemplate",
    "agreementdocument",
    "invoicemark",
    "seatholder",
    "signedcopy",
):
    if model_name not in ("feeschedule", "agreement"):
        rules.add_perm(f"memberships.view_{model_name}", is_national_coordinator)
    if model_name == "agreementtemplate":
        # The admin's upload form runs the upload service (checks, storage, audit).
        rules.add_perm("memberships.add_agreementtemplate", is_national_coordinator)
    else:
        rules.add_perm(f"memberships.add_{model_name}", nobody)
    rules.add_perm(f"memberships.change_{model_name}", nobody)
    rules.add_perm(f"memberships.delete_{model_name}", nobody)
