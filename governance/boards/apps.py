from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "governance.boards"
    verbose_name = "Owner groups and creative boards"
    web_urls = {"boards/": "governance.boards.web_urls"}
    flows = {"board_vote_deadlines": "flows.board_votes:board_vote_deadlines"}
    # Cron in TIME_ZONE; `manage.py serve_flows` serves it as a scheduled deployment.
    schedules = {"board_vote_deadlines": "*/15 * * * *"}
    web_start_slots = {"votes_waiting": "governance.boards.slots:votes_waiting"}
    api_routers = {
        # Votes, results, decisions and minutes under /api/proposals/{id}/…, /api/decisions and
        # /api/boards/{id}/minutes, on a router of their own with full paths: "/proposals" is
        # the matters' router's, and "" is taken by memberships (ninja joins "/" + "/x" as "/x").
        "/": "governance.boards.api_decisions:decision_router",
    }
