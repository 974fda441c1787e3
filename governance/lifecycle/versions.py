"""Agreed versions: a hub's (or the national node's) versioned document, draft → adopted →
superseded, of which budgets (forecasts) and fee schedules (memberships) are two.

Playbook "Etablering och finansering": in preparation the engaged organisations agree on the
levels ("komma överens om budget/kostnadsnivåer"), so adopting a hub's version records which
organisations agreed, when, and a reference; national versions are adopted by the coordinator.
Once the hub has an owner group, which "sätter budget och kostnadsnivåer", only its decision
adopts: the boards' ``decision_record`` records the decision (who agreed, when, the paragraph as
reference) and runs ``adopt`` inside ``adopting_by_decision``; the principal's direct ``adopt``
is refused (409 naming the owner group). A version is superseded only when a
later version of the same scope is adopted.

What is shared lives here: ``AgreedVersion`` (the abstract model's fields), ``version_facts``
(the annotations the guards read), the guard factories (each app passes its own words, so its
messages stay its own) and the service helpers (next version in scope, drafts only, who
agreed, superseding the replaced versions). The ``@logged_transition``s ``adopt`` and
``supersede`` stay on each concrete model, with its own permission.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Max, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.errors import ConflictError
from governance.lifecycle.guards import Message, fact, guard
from governance.lifecycle.services import transition_run

Guard = Callable[[Model], bool]
OWNER_GROUP = "owner_group"  # the boards app's Body, named by value
DRAFT, ADOPTED = "draft", "adopted"


class AgreedVersion(models.Model):
    """The fields every agreed version has besides its scope (``hub``, and what else the
    concrete model numbers its versions by) and its ``state`` FSMField."""

    version = models.PositiveIntegerField(gettext_lazy("version"))
    agreed_by = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=gettext_lazy("överenskommet av"),
        blank=True,
        related_name="+",
    )
    agreed_on = models.DateField(gettext_lazy("överenskommet den"), null=True, blank=True)
    decision_reference = models.CharField(
        gettext_lazy("beslutsreferens"), max_length=200, blank=True
    )
    adopted_on = models.DateField(gettext_lazy("fastställd"), null=True, blank=True)
    superseded_on = models.DateField(gettext_lazy("ersatt"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Facts and guards ---------------------------------------------------------------------


def version_facts(model_label: str, *, scope: Iterable[str] = (), latest: str) -> dict[str, Any]:
    """Annotations with the facts the shared guards read: whether the hub has an owner group,
    and the greatest ``latest`` (``version``, ``effective_from``) among the adopted versions of
    the same scope (the same values of the ``scope`` fields) in the hub and nationally."""
    return {
        "hub_has_owner_group": _owner_group_represented(),
        "latest_adopted_in_hub": _latest_adopted(
            model_label, Q(hub=OuterRef("hub")), scope, latest
        ),
        "latest_adopted_national": _latest_adopted(model_label, Q(hub__isnull=True), scope, latest),
    }


def _owner_group_represented() -> Exists:
    """Whether the hub's owner group has a current representative today (the boards app's
    seats decide who represents whom: one source of truth)."""
    today = timezone.localdate()
    holders = apps.get_model("boards", "SeatHolder").objects
    return Exists(
        holders.current(today).filter(
            seat__board__hub=OuterRef("hub"), seat__board__body=OWNER_GROUP, kind="representative"
        )
    )


def _latest_adopted(model_label: str, where: Q, scope: Iterable[str], latest: str) -> Subquery:
    versions = apps.get_model(model_label).objects
    return Subquery(
        versions.filter(where, state=ADOPTED, **{name: OuterRef(name) for name in scope})
        .order_by()
        .values("state")
        .annotate(latest=Max(latest))
        .values("latest")
    )


def latest_adopted(obj: Model) -> Any:
    """The fact: the latest adopted value in the version's scope (hub or national)."""
    return fact(obj, "latest_adopted_national" if obj.hub_id is None else "latest_adopted_in_hub")


def agreement_recorded_guard(message: Message) -> Guard:
    """A hub's version is agreed among its organisations: who, when and a reference recorded
    (a national one needs none)."""

    @guard(message)
    def agreement_recorded(obj: Model) -> bool:
        if obj.hub_id is None:
            return True
        return bool(obj.agreed_on and obj.decision_reference and obj.agreed_by.exists())

    return agreement_recorded


_adopting_by_decision: ContextVar[frozenset[tuple[str, int]]] = ContextVar(
    "adopting_by_decision", default=frozenset()
)


@contextmanager
def adopting_by_decision(obj: Model) -> Iterator[None]:
    """Within this block ``obj`` is being adopted by an owner group's recorded decision (the
    boards' ``decision_record``), which the ``no_owner_group_yet`` guard lets through."""
    token = _adopting_by_decision.set(_adopting_by_decision.get() | {(obj._meta.label, obj.pk)})
    try:
        yield
    finally:
        _adopting_by_decision.reset(token)


def by_decision(obj: Model) -> bool:
    """Whether ``obj`` is being adopted by a recorded decision of the hub's owner group."""
    return (obj._meta.label, obj.pk) in _adopting_by_decision.get()


def no_owner_group_yet_guard(message: Message) -> Guard:
    """Before a hub has an owner group its principal staff record the agreed version; once it
    has one, only the owner group's recorded decision adopts (``adopting_by_decision``)."""

    @guard(message)
    def no_owner_group_yet(obj: Model) -> bool:
        return obj.hub_id is None or by_decision(obj) or not fact(obj, "hub_has_owner_group")

    return no_owner_group_yet


def successor_adopted_guard(message: Message, *, latest: str = "version") -> Guard:
    """Superseded only when a later version of the same scope is adopted (later by
    ``latest``, the field ``version_facts`` was given)."""

    @guard(message)
    def successor_adopted(obj: Model) -> bool:
        value = latest_adopted(obj)
        return value is not None and value > getattr(obj, latest)

    return successor_adopted


# --- Service helpers ----------------------------------------------------------------------


def next_version(model: type[Model], **scope: Any) -> int:
    """The number the next version in ``scope`` gets (1 for the first); the caller holds the
    lock (the hub's row) that keeps two drafts from getting the same number."""
    latest = model.objects.filter(**scope).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def require_draft(obj: Model, message: str) -> None:
    """Only a draft changes: anything else is 409 ``not_editable`` with the app's ``message``."""
    if obj.state != DRAFT:
        raise ConflictError("not_editable", message, state=obj.state, allowed=[])


def organisations_checked(ids: Iterable[int], field: str = "agreed_by") -> list[Model]:
    """The organisations named by ``ids`` (each once), or a 422 on ``field`` when one is
    missing."""
    ids = list(dict.fromkeys(ids))
    found = list(apps.get_model("organisations", "Organisation").objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({field: _("Någon av organisationerna finns inte.")})
    return found


def agreed_by_set(
    obj: Model, agreeing: list[Model], before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Record who agreed; a changed set goes into the audit's ``before``/``after``."""
    old_ids = sorted(obj.agreed_by.values_list("pk", flat=True))
    obj.agreed_by.set(agreeing)
    new_ids = sorted(organisation.pk for organisation in agreeing)
    if old_ids != new_ids:
        before["agreed_by"], after["agreed_by"] = old_ids, new_ids


def supersede_replaced(
    with_facts: Callable[[], QuerySet], replaced: QuerySet, *, by: Model, actor: Any
) -> None:
    """Run ``supersede`` on each adopted version ``by`` replaces, each a logged transition."""
    for replaced_id in list(replaced.values_list("pk", flat=True)):
        transition_run(
            with_facts(),
            pk=replaced_id,
            name="supersede",
            actor=actor,
            comment=_("Ersatt av version %(version)d.") % {"version": by.version},
        )
