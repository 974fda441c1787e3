"""Budgets, forecast scenarios and their stored results.

Playbook "Etablering och finansering": the phase and break-even figure; phases 1–2 need
liquidity or start-up support. "Affärsmodell": fees are set so that each hub breaks even
("plus minus noll"). Money is whole SEK in integer fields.
"""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from governance.forecasts import guards
from governance.forecasts.choices import COST_CATEGORIES, BudgetLineCategory, BudgetState
from governance.forecasts.engine import add_months
from governance.lifecycle.transitions import logged_transition
from governance.lifecycle.versions import AgreedVersion
from governance.text_limits import NOTE_MAX_LENGTH, limited_text_field

# Who may run the transitions is decided in rules.py.
ADOPT_BUDGET = "forecasts.adopt_budget"


class BudgetQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "BudgetQuerySet":
        """The adopted versions for the year of ``on``, the one in force first: the one rule
        budget_in_force and the hub's facts read."""
        return self.filter(year=on.year, state=BudgetState.ADOPTED).order_by("-version")


class Budget(ConcurrentTransitionMixin, AgreedVersion):
    """One version of a hub's yearly budget, or of the national node's (no hub); versions are
    numbered per hub (or national) and year. The shared fields are ``AgreedVersion``'s."""

    objects = BudgetQuerySet.as_manager()

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
        help_text=_("Tom för den nationella nodens budget."),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    state = FSMField(
        _("läge"),
        choices=BudgetState.choices,
        default=BudgetState.DRAFT,
        protected=True,
        db_index=True,
    )
    note = limited_text_field(NOTE_MAX_LENGTH, verbose_name=_("anteckning"), blank=True)

    class Meta:
        ordering = ["hub__name", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "year", "version"], name="unique_budget_version"
            ),
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=models.Q(hub__isnull=True),
                name="unique_national_budget_version",
            ),
        ]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")

    def __str__(self) -> str:
        scope = self.hub or _("Nationell nod")
        return f"{scope} {self.year} v{self.version}"

    def totals(self) -> dict[str, int]:
        """SEK per year by category (every category present, 0 when it has no line)."""
        sums = dict.fromkeys(BudgetLineCategory.values, 0)
        for line in self.lines.all():
            sums[line.category] += line.amount_sek
        return sums

    @logged_transition(
        field=state,
        source=BudgetState.DRAFT,
        target=BudgetState.ADOPTED,
        label=_("Fastställ"),
        conditions=guards.ADOPT,
        permission=ADOPT_BUDGET,
    )
    def adopt(self) -> None:
        self.adopted_on = timezone.localdate()

    @logged_transition(
        field=state,
        source=BudgetState.ADOPTED,
        target=BudgetState.SUPERSEDED,
        label=_("Ersätt"),
        conditions=guards.SUPERSEDE,
        permission=ADOPT_BUDGET,
    )
    def supersede(self) -> None:
        self.superseded_on = timezone.localdate()


class BudgetLine(models.Model):
    """One cost or financing line of a budget: SEK per year and a note."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    category = models.CharField(_("kategori"), max_length=30, choices=BudgetLineCategory.choices)
    amount_sek = models.PositiveBigIntegerField(_("belopp per år (kr)"))
    note = models.CharField(_("anteckning"), max_length=500, blank=True)

    class Meta:
        ordering = ["budget", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "position"], name="unique_budget_line_position"
            )
        ]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")

    def __str__(self) -> str:
        return f"{self.budget}: {self.get_category_display()}"

    @property
    def is_cost(self) -> bool:
        return self.category in COST_CATEGORIES


class ForecastScenario(models.Model):
    """A hub's saved forecast inputs (the engine's ``Scenario`` as JSON, money in whole SEK)."""

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.PROTECT,
        related_name="forecast_scenarios",
    )
    name = models.CharField(_("namn"), max_length=200)
    inputs = models.JSONField(_("indata"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub__name", "-updated_at", "-pk"]
        verbose_name = _("prognosscenario")
        verbose_name_plural = _("prognosscenarier")

    def __str__(self) -> str:
        return f"{self.hub}: {self.name}"


class ForecastResult(models.Model):
    """One computed forecast, kept with the exact inputs and engine version it came from."""

    scenario = models.ForeignKey(
        ForecastScenario,
        verbose_name=_("scenario"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="results",
    )
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hubb"), on_delete=models.PROTECT, related_name="+"
    )
    scenario_name = models.CharField(_("scenariots namn"), max_length=200)
    inputs = models.JSONField(_("indata"))
    engine_version = models.CharField(_("motorns version"), max_length=20)
    computed_at = models.DateTimeField(_("beräknad"), default=timezone.now)
    flow_run = models.ForeignKey(
        "flowruns.FlowRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    break_even_month = models.PositiveSmallIntegerField(_("break even-månad"), null=True)
    payback_month = models.PositiveSmallIntegerField(_("återbetalningsmånad"), null=True)
    peak_liquidity_need_sek = models.BigIntegerField(_("största likviditetsbehov (kr)"))
    lowest_cash_month = models.PositiveSmallIntegerField(null=True)
    months = models.JSONField(_("månader"))
    sensitivity = models.JSONField(_("känslighet"))
    chart_png = models.BinaryField(_("diagram"), blank=True, editable=False)
    # A live forecast (README "Live forecast"): fee revenue from the hub's agreements.
    is_live = models.BooleanField(_("liveprognos"), default=False, db_index=True)
    live_inputs = models.JSONField(
        _("pipeline"),
        null=True,
        blank=True,
        help_text=_("Avtalen, sannolikheterna och dagen som en liveprognos bygger på."),
    )

    class Meta:
        ordering = ["-computed_at", "-pk"]
        verbose_name = _("prognosresultat")
        verbose_name_plural = _("prognosresultat")

    def __str__(self) -> str:
        return f"{self.scenario_name} ({self.computed_at:%Y-%m-%d %H:%M})"

    def calendar_month(self, month: int | None) -> date | None:
        """The calendar month (its first day) of month number ``month`` of this forecast."""
        if month is None:
            return None
        return add_months(date.fromisoformat(self.inputs["start_month"]), month - 1)

    @property
    def break_even_on(self) -> date | None:
        return self.calendar_month(self.break_even_month)

    @property
    def payback_on(self) -> date | None:
        return self.calendar_month(self.payback_month)

    @property
    def lowest_cash_on(self) -> date | None:
        return self.calendar_month(self.lowest_cash_month)


class LiveForecastDemand(models.Model):
    """A hub's agreements changed since its last live forecast: the first unconsidered change
    and the latest, kept until a live run reads them (the debounce's row, locked per hub)."""

    hub = models.OneToOneField(
        "hubs.Hub",
        verbose_name=_("hubb"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    changed_since = models.DateTimeField(_("ändrat sedan"), null=True, blank=True)
    last_change = models.CharField(_("senaste ändring"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("väntande liveprognos")
        verbose_name_plural = _("väntande liveprognoser")

    def __str__(self) -> str:
        return f"{self.hub_id}: {self.changed_since}"
