"""A small machine that exercises the lifecycle toolkit without any business rules."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django_fsm import ConcurrentTransitionMixin, FSMField

from governance.lifecycle.guards import fact, guard
from governance.lifecycle.transitions import logged_transition

CALLS: dict[str, int] = {}


def _count(name: str) -> None:
    CALLS[name] = CALLS.get(name, 0) + 1


@guard("The ticket has no title.")
def has_title(ticket: "Ticket") -> bool:
    _count("has_title")
    return bool(ticket.title)


@guard(lambda ticket: f"{fact(ticket, 'open_tasks')} tasks are still open.")
def tasks_done(ticket: "Ticket") -> bool:
    _count("tasks_done")
    return fact(ticket, "open_tasks") == 0


class Ticket(ConcurrentTransitionMixin, models.Model):
    """new → open → done, archived from any state (with a title), reset to new from any other
    state."""

    title = models.CharField(max_length=100, blank=True)
    state = FSMField(
        choices=[("new", "Ny"), ("open", "Öppen"), ("done", "Klar"), ("archived", "Arkiverad")],
        default="new",
        protected=True,
    )

    def __str__(self) -> str:
        return self.title or f"Ticket {self.pk}"

    @logged_transition(
        field=state, source="new", target="open", label="Open", conditions=[has_title]
    )
    def open(self) -> None:
        self.title = self.title.strip()

    @logged_transition(
        field=state,
        source="open",
        target="done",
        label="Finish",
        conditions=[has_title, tasks_done],
        permission="testapp.finish_ticket",
    )
    def finish(self) -> None:
        pass

    @logged_transition(
        field=state, source="*", target="archived", label="Archive", conditions=[has_title]
    )
    def archive(self) -> None:
        pass

    @logged_transition(field=state, source="+", target="new", label="Reset")
    def reset(self) -> None:
        pass


class Task(models.Model):
    """Work on a ticket; an open task blocks finishing it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tasks")
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Task {self.pk} ({'done' if self.done else 'open'})"


def tickets_with_facts() -> models.QuerySet[Ticket]:
    """Tickets with the facts their guards read."""
    # A subquery, not a join with GROUP BY: the row is locked with SELECT … FOR UPDATE.
    open_tasks = (
        Task.objects.filter(ticket=models.OuterRef("pk"), done=False)
        .order_by()
        .values("ticket")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Ticket.objects.annotate(
        open_tasks=Coalesce(models.Subquery(open_tasks), models.Value(0))
    )


class Label(models.Model):
    """A name that must be unique, and a cross-field rule: a red label needs a reason."""

    name = models.CharField(max_length=40, unique=True)
    colour = models.CharField(max_length=10, choices=[("red", "red"), ("blue", "blue")])
    reason = models.CharField(max_length=100, blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.colour == "red" and not self.reason:
            raise ValidationError({"reason": "A red label needs a reason."})
