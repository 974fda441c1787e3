"""route_board_matter through dispatch and Prefect: submitting routes the matter, records the
route with its reason and the flow run, puts it on the next meeting's agenda and mails the
body's seat holders and the CM."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from governance.boards.choices import MatterState
from governance.boards.matters import matter_create
from governance.boards.meetings import meeting_create
from governance.boards.models import Matter
from governance.flowruns.models import FlowRun

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("prefect_harness")]


def test_submit_routes_puts_on_the_agenda_and_notifies(seated, api_client, settings):
    settings.FLOW_INLINE_IN_BACKGROUND = False
    seated.board_members[0].email = "board1@example.se"
    seated.board_members[0].save()
    seated.community_manager.email = "cm@example.se"
    seated.community_manager.save()
    soon = timezone.now() + timedelta(days=7)
    called = meeting_create(
        actor=seated.principal,
        board_id=seated.creative_board.pk,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        place="Hubben",
    )
    matter = matter_create(
        actor=seated.community_manager,
        hub_id=seated.hub.pk,
        title="Kodkväll",
        text="Communityn vill starta kodkvällar tillsammans med medlemmarna.",
        origin="community",
        kind="collaboration",
    )
    answer = api_client(seated.community_manager).post(
        f"/api/proposals/{matter.pk}/transitions/submit"
    )
    assert answer.status_code == 200
    run = FlowRun.objects.get(flow_name="route_board_matter")
    assert run.state == "completed", run.error
    assert run.result["board"] == "creative_board"
    assert run.result["proposed"] is True
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.state == MatterState.ROUTED
    (route,) = matter.routes.all()
    assert route.flow_run_id == run.pk
    assert route.reason == matter.route_reason
    assert list(called.agenda.values_list("matter", flat=True)) == [matter.pk]
    (sent,) = mail.outbox
    assert set(sent.to) == {"board1@example.se", "cm@example.se"}
    assert "Kodkväll" in sent.subject
    # A second run of the same matter changes nothing.
    from governance.workflows import dispatch

    again = dispatch("route_board_matter", matter_id=matter.pk)
    again.refresh_from_db()
    assert again.result["routed"] is False
    assert matter.routes.count() == 1
    assert len(mail.outbox) == 1
