from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "governance.boards"
    verbose_name = "Owner groups and creative boards"
    web_urls = {"boards/": "governance.boards.web_urls"}
