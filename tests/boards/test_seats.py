"""Seats follow organisation memberships; holders; board settings; the derived roles (issue 13
part "seats")."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.audit.models import AuditEntry
from governance.boards.choices import Body, HolderKind
from governance.boards.models import Board, Seat, SeatHolder
from governance.boards.seats import (
    board_settings_update,
    holder_add,
    holder_end,
    seats_sync,
    seats_sync_all,
)
from governance.errors import ConflictError
from governance.memberships.choices import AgreementState, MembershipModel
from governance.memberships.models import Agreement
from governance.organisations.models import RoleAssignment
from governance.organisations.roles import forget_user_roles, hub_roles
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories import (
    HubFactory as _HubFactory,
)

TODAY = date(2026, 3, 1)


def HubFactory():  # noqa: N802 - a hub with a principal, as agreements need
    return _HubFactory(principal=OrganisationFactory())


def _agreement(hub, state=AgreementState.ACTIVE, **fields):
    if hub is not None:
        fields.setdefault("principal", hub.principal)
    agreement = AgreementFactory(hub=hub, **fields)
    Agreement.objects.filter(pk=agreement.pk).update(state=state)  # states by hand: no signal
    return Agreement.objects.get(pk=agreement.pk)


def _open_orgs(hub, body):
    return set(
        Seat.objects.filter(board__hub=hub, board__body=body, closed_on__isnull=True).values_list(
            "organisation__name", flat=True
        )
    )


@pytest.mark.django_db
def test_an_organisation_membership_seats_its_member_in_both_bodies_once():
    hub = HubFactory()
    agreement = _agreement(hub)
    result = seats_sync(hub, TODAY)
    assert len(result.opened) == 2
    for body in Body.values:
        assert _open_orgs(hub, body) == {agreement.member.name}
    seat = Seat.objects.filter(board__hub=hub).first()
    assert seat.opened_on == agreement.start_on
    entries = AuditEntry.objects.count()
    again = seats_sync(hub, TODAY)
    assert not again.opened
    assert not again.closed
    assert AuditEntry.objects.count() == entries  # idempotent: nothing written


@pytest.mark.django_db
def test_seat_model_drafts_and_expired_agreements_give_no_seat():
    hub = HubFactory()
    _agreement(hub, model=MembershipModel.SEATS, seats=3)
    _agreement(hub, state=AgreementState.DRAFT)
    _agreement(hub, state=AgreementState.EXPIRED)
    seats_sync(hub, TODAY)
    assert not Seat.objects.filter(board__hub=hub).exists()
    assert not Board.objects.filter(hub=hub).exists()  # no members, no bodies made


@pytest.mark.django_db
def test_a_national_membership_seats_its_member_in_every_hub():
    first, second = HubFactory(), HubFactory()
    national = _agreement(None, principal=OrganisationFactory())
    seats_sync_all(TODAY)
    for hub in (first, second):
        assert _open_orgs(hub, Body.OWNER_GROUP) == {national.member.name}


@pytest.mark.django_db
def test_a_terminated_membership_ends_the_seat_and_its_holders_after_its_last_day():
    hub = HubFactory()
    agreement = _agreement(hub)
    seats_sync(hub, TODAY)
    seat = Seat.objects.get(board__hub=hub, board__body=Body.OWNER_GROUP)
    user = UserFactory()
    PersonFactory(user=user, organisation=agreement.member)
    SeatHolder.objects.create(
        seat=seat, user=user, kind=HolderKind.REPRESENTATIVE, title="VD", from_on=TODAY
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        state=AgreementState.TERMINATED, terminated_on=date(2026, 4, 30)
    )
    assert not seats_sync(hub, date(2026, 4, 30)).closed  # still its last day
    closed = seats_sync(hub, date(2026, 5, 1)).closed
    assert {s.board.body for s in closed} == set(Body.values)
    seat.refresh_from_db()
    assert seat.closed_on == date(2026, 4, 30)
    assert agreement.member.name in seat.closed_reason
    holder = SeatHolder.objects.get(seat=seat)
    assert holder.to_on == date(2026, 4, 30)  # history stays
    assert SeatHolder.objects.count() == 1


@pytest.mark.django_db
def test_a_new_membership_after_a_closed_seat_opens_a_new_one_and_keeps_the_old():
    hub = HubFactory()
    old = _agreement(hub, start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    seats_sync(hub, date(2025, 6, 1))
    Agreement.objects.filter(pk=old.pk).update(state=AgreementState.EXPIRED)
    seats_sync(hub, TODAY)
    _agreement(hub, member=old.member)
    seats_sync(hub, TODAY)
    seats = Seat.objects.filter(board__hub=hub, board__body=Body.OWNER_GROUP).order_by("pk")
    assert [s.closed_on is None for s in seats] == [False, True]


@pytest.mark.django_db
def test_an_agreement_transition_syncs_the_seats_through_the_signal(coordinator):
    from governance.lifecycle.services import transition_run
    from governance.memberships.services import agreements_with_facts

    hub = HubFactory()
    agreement = _agreement(hub)
    seats_sync(hub, timezone.localdate())
    # Expiring (the calendar's path) fires post_transition: the boards listen.
    Agreement.objects.filter(pk=agreement.pk).update(
        end_on=date(2020, 1, 1), start_on=date(2019, 1, 1)
    )
    transition_run(agreements_with_facts(), pk=agreement.pk, name="expire", actor=coordinator)
    assert not Seat.objects.filter(board__hub=hub, closed_on__isnull=True).exists()


def test_holders_are_named_by_principal_staff_from_the_seats_organisation(seated):
    seat = seated.owner_seats[1]
    stranger = UserFactory()
    PersonFactory(user=stranger, organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as refused:
        holder_add(
            actor=seated.principal,
            seat_id=seat.pk,
            user_id=stranger.pk,
            kind=HolderKind.SUBSTITUTE,
            title="Chef",
            from_on=TODAY,
        )
    assert "user_id" in refused.value.message_dict
    colleague = UserFactory()
    PersonFactory(user=colleague, organisation=seat.organisation)
    with pytest.raises(ValidationError) as untitled:
        holder_add(
            actor=seated.principal,
            seat_id=seat.pk,
            user_id=colleague.pk,
            kind=HolderKind.SUBSTITUTE,
            title=" ",
            from_on=TODAY,
        )
    assert "title" in untitled.value.message_dict
    with pytest.raises(ConflictError):  # one current representative per seat
        holder_add(
            actor=seated.principal,
            seat_id=seat.pk,
            user_id=colleague.pk,
            kind=HolderKind.REPRESENTATIVE,
            title="Direktör",
            from_on=TODAY,
        )
    substitute = holder_add(
        actor=seated.principal,
        seat_id=seat.pk,
        user_id=colleague.pk,
        kind=HolderKind.SUBSTITUTE,
        title="Direktör",
        from_on=TODAY,
    )
    assert substitute.kind == HolderKind.SUBSTITUTE
    assert AuditEntry.objects.filter(verb="created", object_id=str(substitute.pk)).exists()


def test_replacing_a_representative_ends_the_old_one_first(seated):
    seat = seated.owner_seats[1]
    old = SeatHolder.objects.get(seat=seat, kind=HolderKind.REPRESENTATIVE)
    holder_end(actor=seated.principal, holder_id=old.pk, to_on=TODAY)
    with pytest.raises(ConflictError):
        holder_end(actor=seated.principal, holder_id=old.pk, to_on=TODAY)
    successor = UserFactory()
    PersonFactory(user=successor, organisation=seat.organisation)
    holder_add(
        actor=seated.principal,
        seat_id=seat.pk,
        user_id=successor.pk,
        kind=HolderKind.REPRESENTATIVE,
        title="Kommundirektör",
        from_on=TODAY,
    )
    assert SeatHolder.objects.filter(seat=seat).count() == 2  # history kept


def test_a_closed_seat_takes_no_holders(seated):
    seat = seated.owner_seats[2]
    Seat.objects.filter(pk=seat.pk).update(closed_on=TODAY)
    with pytest.raises(ConflictError):
        holder_add(
            actor=seated.principal,
            seat_id=seat.pk,
            user_id=seated.owners[2].pk,
            kind=HolderKind.SUBSTITUTE,
            title="VD",
            from_on=TODAY,
        )


def test_only_principal_staff_or_the_coordinator_name_holders(seated):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        holder_end(
            actor=seated.owners[0],
            holder_id=SeatHolder.objects.filter(seat=seated.owner_seats[1]).first().pk,
            to_on=TODAY,
        )


def test_board_settings_are_checked_and_audited(seated):
    board = board_settings_update(
        actor=seated.principal, board_id=seated.owner_group.pk, quorum_percent=66
    )
    assert board.quorum_percent == 66
    assert AuditEntry.objects.filter(verb="updated", object_id=str(board.pk)).exists()
    for bad in ({"quorum_percent": 100}, {"majority": "loudest"}, {"body": "x"}):
        with pytest.raises(ValidationError) as refused:
            board_settings_update(actor=seated.principal, board_id=board.pk, **bad)
        assert set(refused.value.message_dict) == set(bad)


def test_the_board_roles_are_derived_from_seats(seated):
    owner = seated.owners[0]
    assert hub_roles(owner, seated.hub.pk) == {"owner_group_rep"}
    assert hub_roles(seated.substitute, seated.hub.pk) == {"owner_group_rep"}
    holder = SeatHolder.objects.get(user=owner)
    holder_end(actor=seated.principal, holder_id=holder.pk, to_on=date(2026, 1, 1))
    forget_user_roles(owner)
    assert hub_roles(owner, seated.hub.pk) == set()


def test_the_board_roles_cannot_be_stored(seated):
    assignment = RoleAssignment(user=seated.outsider, role="owner_group_rep", hub=seated.hub)
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    assert "role" in refused.value.message_dict


def test_the_hubs_api_refuses_to_assign_a_board_role(seated, api_client, coordinator):
    response = api_client(coordinator).post(
        f"/api/hubs/{seated.hub.pk}/people",
        {"user_id": seated.outsider.pk, "role": "creative_board_rep"},
    )
    assert response.status_code == 422, response.content
    assert "role" in response.content.decode()
