"""The boards' demo matters and meetings in today's Östersund (issue 13, point 9; the playbook
says this governance model runs only after the pilot): community input carried by the CM, routed
by the rules table to the creative board and under review there, and a meeting of the owner
group next month with an agenda. Needs the seats demo first (both bodies exist). Idempotent."""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from governance.audit.context import acting_for_flow_run
from governance.boards.choices import Body, MatterState
from governance.boards.matters import matter_create, matter_route, matter_transition
from governance.boards.meetings import agenda_append, meeting_create
from governance.boards.models import Board, Matter
from governance.flowruns.models import FlowRun
from governance.hubs.models import Hub
from governance.lifecycle.services import transition_run

COMMUNITY_INPUT = "Öppen kodkväll varje månad"
OWNER_MATTER = "Lokalernas öppettider under hösten"


def _route(matter: Matter) -> None:
    """What the routing flow does, recorded as a run of it."""
    run = FlowRun.objects.create(
        flow_name="route_board_matter", parameters={"matter_id": matter.pk}, state="completed"
    )
    with acting_for_flow_run(run.pk):
        matter_route(matter_id=matter.pk, flow_run_id=run.pk)


def submitted_and_routed(actor: User, hub: Hub, title: str, **fields) -> Matter:
    matter = Matter.objects.filter(hub=hub, title=title).first()
    if matter is None:
        matter = matter_create(actor=actor, hub_id=hub.pk, title=title, **fields)
    if matter.state == MatterState.DRAFT:
        # Submitted without dispatching the flow: the demo routes it below as the flow would.
        transition_run(Matter.objects.all(), pk=matter.pk, name="submit", actor=actor)
    if Matter.objects.get(pk=matter.pk).state == MatterState.SUBMITTED:
        _route(matter)
    return Matter.objects.get(pk=matter.pk)


def seed_board_matters() -> None:
    hub = Hub.objects.filter(name__icontains="Östersund").first()
    if hub is None or not Board.objects.filter(hub=hub).exists():
        return
    cm, principal = User.objects.get(username="cm"), User.objects.get(username="principal")
    owner_group = Board.objects.get(hub=hub, body=Body.OWNER_GROUP)
    next_month = timezone.localdate().replace(day=1) + timedelta(days=40)
    starts = timezone.make_aware(datetime.combine(next_month.replace(day=10), time(13)))
    meeting = owner_group.meetings.filter(starts_at__gte=timezone.now()).first()
    if meeting is None:
        meeting = meeting_create(
            actor=principal,
            board_id=owner_group.pk,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Samverket Östersund, Prästgatan",
        )
    community = submitted_and_routed(
        cm,
        hub,
        COMMUNITY_INPUT,
        text="Communityn vill ordna en öppen kodkväll i hubben varje månad, tillsammans med "
        "medlemsorganisationernas utvecklare.",
        origin="community",
        kind="collaboration",
    )
    if community.state == MatterState.ROUTED:
        matter_transition(actor=principal, matter_id=community.pk, name="review")
    owner = submitted_and_routed(
        principal,
        hub,
        OWNER_MATTER,
        text="Huvudmannen föreslår längre öppettider i hubben under hösten.",
        origin="principal",
        kind="other",
    )
    with transaction.atomic():
        agenda_append(actor=principal, meeting=meeting, matter=owner)
