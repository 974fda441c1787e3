"""Who may do what in the owner groups and creative boards (issue 13; playbook "Förvaltnings-
organisation för de enskilda hubbarna": the principal is responsible for "strategisk
processledning (facilitering av ägargruppen och creative boarden)"):

- the hub's principal staff convene and facilitate both bodies, route and decide matters as
  the bodies' secretariat, record votes at meetings and keep the minutes;
- seat holders (representatives and substitutes) of a body read its matters, vote, declare
  conflicts and raise matters (the owner group's wishes, the creative board's initiatives);
- the community manager carries the community's input to either body and takes part in both
  without a vote;
- the national coordinator reads everything and raises the national node's matters.
"""

import rules
from django.utils import timezone

from governance.organisations import roles
from governance.organisations.rules import is_national_coordinator

PRINCIPAL_STAFF, COMMUNITY_MANAGER = "principal_staff", "community_manager"


def hub_id_of(obj: object) -> int | None:
    """The hub of a hub, board, matter, meeting, minutes or decision (None without one)."""
    if obj is None:
        return None
    if obj._meta.model_name == "hub":
        return obj.pk
    if hasattr(obj, "hub_id"):
        return obj.hub_id
    return obj.board.hub_id


def board_id_of(obj: object) -> int | None:
    """The body of a board, matter, meeting, minutes or decision (None when not routed)."""
    if obj is None:
        return None
    if obj._meta.model_name == "board":
        return obj.pk
    return obj.board_id


def _holds_in_objects_hub(*hub_roles: str) -> rules.Predicate:
    @rules.predicate(name=f"boards_holds_in_objects_hub:{'|'.join(hub_roles)}")
    def predicate(user, obj) -> bool:
        hub_id = hub_id_of(obj)
        return hub_id is not None and bool(roles.hub_roles(user, hub_id) & set(hub_roles))

    return predicate


principal_staff_of_hub = _holds_in_objects_hub(PRINCIPAL_STAFF)
community_manager_of_hub = _holds_in_objects_hub(COMMUNITY_MANAGER)


@rules.predicate
def holds_seat_in_board(user, obj) -> bool:
    """A current representative or substitute of the object's body."""
    board_id = board_id_of(obj)
    if board_id is None or not user.is_authenticated:
        return False
    from governance.boards.selectors import current_holdings

    return current_holdings(user, timezone.localdate()).filter(seat__board_id=board_id).exists()


@rules.predicate
def holds_seat_in_hub(user, obj) -> bool:
    """A current representative or substitute of either of the object's hub's bodies."""
    hub_id = hub_id_of(obj)
    if hub_id is None or not user.is_authenticated:
        return False
    from governance.boards.selectors import current_holdings

    return current_holdings(user, timezone.localdate()).filter(seat__board__hub_id=hub_id).exists()


@rules.predicate
def is_author(user, matter) -> bool:
    return matter is not None and matter.author_id == user.pk


hub_insider = (
    is_national_coordinator | principal_staff_of_hub | community_manager_of_hub | holds_seat_in_hub
)

rules.add_perm("boards.view_board", hub_insider)
rules.add_perm("boards.view_matter", hub_insider)
rules.add_perm("boards.manage_seats", is_national_coordinator | principal_staff_of_hub)
rules.add_perm("boards.manage_meetings", principal_staff_of_hub)
rules.add_perm("boards.keep_minutes", principal_staff_of_hub)
# Asked with the hub: who may raise a matter there (what origin each may give is the service's).
rules.add_perm(
    "boards.create_matter",
    is_national_coordinator | principal_staff_of_hub | community_manager_of_hub | holds_seat_in_hub,
)
rules.add_perm("boards.submit_matter", is_author | principal_staff_of_hub)
rules.add_perm("boards.route_matter", is_national_coordinator | principal_staff_of_hub)
rules.add_perm("boards.manage_matter", principal_staff_of_hub)
rules.add_perm("boards.withdraw_matter", is_author)
rules.add_perm("boards.vote", holds_seat_in_board)


# --- Matters, routing and meetings -------------------------------------------------------------
# Who may give which origin (playbook "Organisation och ägarskap"): the principal's staff any
# (they prepare budget and fee levels and facilitate both bodies), the owner group's seat
# holders its wishes to the creative board, the creative board's its own development areas, the
# community manager the community's input, the national coordinator the national node's.


def allowed_origins(user, hub_id: int) -> set[str]:
    """The origins the user may give a matter raised in the hub."""
    from governance.boards.choices import Body, MatterOrigin
    from governance.boards.selectors import current_holdings

    if not user.is_authenticated:
        return set()
    held = roles.hub_roles(user, hub_id)
    if PRINCIPAL_STAFF in held:
        return set(MatterOrigin.values)
    origins = set()
    bodies = set(
        current_holdings(user, timezone.localdate())
        .filter(seat__board__hub_id=hub_id)
        .values_list("seat__board__body", flat=True)
    )
    if Body.OWNER_GROUP in bodies:
        origins.add(MatterOrigin.OWNER_GROUP)
    if Body.CREATIVE_BOARD in bodies:
        origins.add(MatterOrigin.CREATIVE_BOARD)
    if COMMUNITY_MANAGER in held:
        origins.add(MatterOrigin.COMMUNITY)
    if is_national_coordinator(user):
        origins.add(MatterOrigin.NATIONAL)
    return {str(origin) for origin in origins}


rules.add_perm("boards.add_progress_note", principal_staff_of_hub | is_author)


def readable_matters(user):
    """The matters of the hubs the user takes part in (``boards.view_matter`` as a query)."""
    from django.db.models import Q

    from governance.boards.models import Matter
    from governance.boards.selectors import current_holdings

    if not user.is_authenticated:
        return Matter.objects.none()
    matters = Matter.objects.select_related("hub", "board")
    if is_national_coordinator(user):
        return matters
    hub_ids = {
        hub_id
        for role, hub_id in roles.user_roles(user)
        if role in {PRINCIPAL_STAFF, COMMUNITY_MANAGER} and hub_id
    }
    seated = current_holdings(user, timezone.localdate()).values("seat__board__hub_id")
    return matters.filter(Q(hub_id__in=hub_ids) | Q(hub_id__in=seated))


# --- seats (issue 13 part "seats") ---


@rules.predicate
def sees_some_board(user) -> bool:
    """Anyone who can see some body: the coordinator, a hub's principal staff or CM, a seat
    holder (the navigation's entry)."""
    if not user.is_authenticated:
        return False
    if is_national_coordinator(user):
        return True
    return roles.holds_role_anywhere(
        user, PRINCIPAL_STAFF, COMMUNITY_MANAGER, "owner_group_rep", "creative_board_rep"
    )


rules.add_perm("boards.view_any_board", sees_some_board)
# The admin (admin.py): the coordinator reads the bodies' records; nobody writes there, every
# write goes through the services.
rules.add_perm("boards", is_national_coordinator)
for _model in (
    "board",
    "seat",
    "seatholder",
    "meeting",
    "matter",
    "matterroute",
    "agendaitem",
    "attendance",
    "progressnote",
    "motion",
    "vote",
    "conflict",
    "minutes",
    "minutesadjuster",
    "decision",
    "dissent",
):
    if _model not in ("board", "matter"):  # those two are read by every hub insider (above)
        rules.add_perm(f"boards.view_{_model}", is_national_coordinator)
    for _action in ("add", "change", "delete"):
        rules.add_perm(f"boards.{_action}_{_model}", rules.always_deny)
