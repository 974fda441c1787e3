"""The idempotent demo data (``manage.py seed_demo``): each app's seeder and their helper."""

from typing import Any, TypeVar

from django.db.models import Model
from django.utils.module_loading import import_string

from governance.core.registry import declarations

M = TypeVar("M", bound=Model)


def ensure(model: type[M], lookup: dict[str, Any], values: dict[str, Any] | None = None) -> M:
    """The row matching ``lookup``, created or brought to ``values``; saved only if it differs.

    Unlike ``update_or_create`` it leaves an unchanged row alone, so auto-updated
    timestamps stay put and a second seeding changes nothing.
    """
    values = values or {}
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row


def seed_demo() -> None:
    """Run every app's seeder (``AppConfig.demo_seed``, a dotted path) in INSTALLED_APPS order."""
    for _app_label, seeder in declarations("demo_seed"):
        import_string(seeder)()
