from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _agreement_moved(sender: Any, instance: Any, name: str, **kwargs: Any) -> None:
    """An agreement changed state (django-fsm's post_transition, any path): seats follow
    organisation memberships, so its hub's bodies (every hub's, for a national agreement) are
    synced. Memberships knows nothing of boards; boards listens."""
    from django.utils import timezone

    from governance.boards.seats import seats_sync_for_agreement

    if "exception" in kwargs:
        return  # the transition failed: nothing changed
    actor = (kwargs.get("method_kwargs") or {}).get("by")
    seats_sync_for_agreement(instance, timezone.localdate(), actor=actor)


class BoardsConfig(AppConfig):
    name = "governance.boards"
    verbose_name = "Owner groups and creative boards"
    web_urls = {"boards/": "governance.boards.web_urls"}
    # After memberships and forecasts in INSTALLED_APPS: seats need the agreements, decisions
    # adopt the budgets and fee schedules their demos made.
    demo_seed = "governance.boards.demo.seed_boards"
    # --- seats (issue 13 part "seats") ---
    # The hub roles owner_group_rep / creative_board_rep are derived from current seat
    # holdings, never stored (governance/organisations/roles.py reads this hook).
    derived_roles = "governance.boards.selectors:derived_roles"
    derived_role_values = ("owner_group_rep", "creative_board_rep")
    flows = {
        "nightly_board_seats": "flows.board_seats:nightly_board_seats",
        "route_board_matter": "flows.board_routing:route_board_matter",
        "board_vote_deadlines": "flows.board_votes:board_vote_deadlines",
    }
    # Cron in TIME_ZONE; `manage.py serve_flows` serves them as scheduled deployments. The seats
    # follow after the agreement calendar (01:15) has activated and expired agreements.
    schedules = {"nightly_board_seats": "30 1 * * *", "board_vote_deadlines": "*/15 * * * *"}
    web_start_slots = {"votes_waiting": "governance.boards.slots:votes_waiting"}
    api_routers = {
        # Votes, results, decisions and minutes under /api/proposals/{id}/…, /api/decisions and
        # /api/boards/{id}/minutes, on a router of their own with full paths: "/proposals" is
        # the matters' router's, and "" is taken by memberships (ninja joins "/" + "/x" as "/x").
        "/": "governance.boards.api_decisions:decision_router",
        "/hubs/{int:hub_id}/boards": "governance.boards.api_seats:hub_board_router",
        "/boards/{int:board_id}/meetings": "governance.boards.api_meetings:board_router",
        "/boards": "governance.boards.api_seats:board_router",
        "/proposals": "governance.boards.api_matters:router",
        "/meetings": "governance.boards.api_meetings:router",
    }
    web_nav = {
        "boards": {
            "url": "web:boards:index",
            "label": _("Ägargrupp och creative board"),
            "order": 35,
            "permission": "boards.view_any_board",
        }
    }

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from governance.memberships.models import Agreement

        post_transition.connect(
            _agreement_moved, sender=Agreement, dispatch_uid="boards_seats_on_agreement"
        )
