"""The admin of the bodies' records (rules: boards/rules.py): the coordinator reads seats,
matters, votes, decisions and minutes there; every write goes through the services, which keep
the seats in step with the memberships, the machine's guards, the numbering and the audit
trail."""

from django.contrib import admin
from django_fsm_log.admin import StateLogInline

from governance.boards.models import (
    AgendaItem,
    Attendance,
    Board,
    Conflict,
    Decision,
    Dissent,
    Matter,
    MatterRoute,
    Meeting,
    Minutes,
    MinutesAdjuster,
    Motion,
    ProgressNote,
    Seat,
    SeatHolder,
    Vote,
)
from governance.core.admin import RulesInlineMixin, RulesModelAdmin


class SeatHolderInline(RulesInlineMixin, admin.TabularInline):
    model = SeatHolder
    extra = 0
    view_rule = "boards.view_seatholder"


class MatterRouteInline(RulesInlineMixin, admin.TabularInline):
    model = MatterRoute
    extra = 0
    view_rule = "boards.view_matterroute"


class VoteInline(RulesInlineMixin, admin.TabularInline):
    model = Vote
    extra = 0
    view_rule = "boards.view_vote"


class MatterHistoryInline(RulesInlineMixin, StateLogInline):
    view_rule = "boards.view_matter"


class DecisionInline(RulesInlineMixin, admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["number", "matter", "method", "outcome", "adjusted_at_once"]
    view_rule = "boards.view_decision"


@admin.register(Board)
class BoardAdmin(RulesModelAdmin):
    list_display = ["hub", "body", "quorum_percent", "majority", "results_visible_during_vote"]
    list_filter = ["body", "hub"]
    list_select_related = ["hub"]


@admin.register(Seat)
class SeatAdmin(RulesModelAdmin):
    list_display = ["organisation", "board", "opened_on", "closed_on"]
    list_filter = ["board__body", "board__hub"]
    list_select_related = ["organisation", "board__hub"]
    inlines = [SeatHolderInline]


@admin.register(SeatHolder)
class SeatHolderAdmin(RulesModelAdmin):
    list_display = ["user", "seat", "kind", "title", "from_on", "to_on"]
    list_filter = ["kind", "seat__board__body"]
    list_select_related = ["user", "seat__organisation", "seat__board__hub"]


@admin.register(Matter)
class MatterAdmin(RulesModelAdmin):
    list_display = ["title", "hub", "board", "kind", "origin", "state", "created_at"]
    list_filter = ["state", "kind", "origin", "hub"]
    list_select_related = ["hub", "board__hub"]
    search_fields = ["title"]
    inlines = [MatterRouteInline, VoteInline, MatterHistoryInline]


@admin.register(Meeting)
class MeetingAdmin(RulesModelAdmin):
    list_display = ["board", "starts_at", "place", "invited_at"]
    list_select_related = ["board__hub"]


@admin.register(Minutes)
class MinutesAdmin(RulesModelAdmin):
    list_display = ["title", "board", "year", "state", "approved_at"]
    list_filter = ["state", "year"]
    list_select_related = ["board__hub"]
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(RulesModelAdmin):
    list_display = ["__str__", "matter", "method", "outcome", "decided_at"]
    list_filter = ["method", "outcome", "year"]
    list_select_related = ["board__hub", "matter"]


for model in (
    MatterRoute,
    AgendaItem,
    Attendance,
    ProgressNote,
    Motion,
    Vote,
    Conflict,
    MinutesAdjuster,
    Dissent,
):
    admin.site.register(model, RulesModelAdmin)
