"""The boards' demo matters: community input under review by the creative board, routed by the
rules with its reason, and an owner-group meeting next month with an agenda; twice is once."""

from django.utils import timezone

from governance.boards.demo_matters import COMMUNITY_INPUT, OWNER_MATTER, seed_board_matters
from governance.boards.models import Matter


def test_the_demo_seeds_once(seated):
    seated.hub.name = "Samverket Östersund"
    seated.hub.save()
    seated.community_manager.username = "cm"
    seated.community_manager.save()
    seated.principal.username = "principal"
    seated.principal.save()
    seed_board_matters()
    seed_board_matters()
    community = Matter.objects.get(title=COMMUNITY_INPUT)
    assert community.state == "in_review"
    assert community.board == seated.creative_board
    (route,) = community.routes.all()
    assert route.reason
    assert route.flow_run_id
    (meeting,) = seated.owner_group.meetings.all()
    assert meeting.starts_at > timezone.now()
    assert list(meeting.agenda.values_list("matter__title", flat=True)) == [OWNER_MATTER]
