from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "governance.members"
    verbose_name = "Individual members"
    # After memberships in INSTALLED_APPS: the demo's members need its active agreements.
    demo_seed = "governance.members.demo.seed_members"
    flows = {"erase_departed_members": "flows.members:erase_departed_members"}
    # Cron in TIME_ZONE; `manage.py serve_flows` serves it as a scheduled deployment.
    schedules = {"erase_departed_members": "45 2 * * *"}
    api_routers = {"/members": "governance.members.api:member_router"}
    web_urls = {"medlem/": "governance.members.web_urls"}
    web_nav = {
        "member_applications": {
            "url": "web:members:list",
            "label": _("Medlemmar"),
            "order": 30,
            "permission": "members.list_members",
        }
    }
    web_start_slots = {"members_to_approve": "governance.members.views:members_to_approve_slot"}
