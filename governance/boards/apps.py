from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "governance.boards"
    verbose_name = "Owner groups and creative boards"
    web_urls = {"boards/": "governance.boards.web_urls"}
    flows = {"route_board_matter": "flows.board_routing:route_board_matter"}
    api_routers = {
        "/proposals": "governance.boards.api_matters:router",
        "/boards/{int:board_id}/meetings": "governance.boards.api_meetings:board_router",
        "/meetings": "governance.boards.api_meetings:router",
    }
