"""What the installed apps contribute, declared as attributes of their AppConfig.

An app adds flows, demo data or roles by declaring them on its own AppConfig (for example
``flows = {"name": "module:attribute"}``); the project collects them here, in INSTALLED_APPS
order, so that a new app edits no other app's files.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

V = TypeVar("V")


def declarations(attribute: str) -> list[tuple[str, Any]]:
    """``(app label, value)`` of ``attribute`` for every installed app whose AppConfig has it,
    in INSTALLED_APPS order."""
    return [
        (config.label, getattr(config, attribute))
        for config in apps.get_app_configs()
        if hasattr(config, attribute)
    ]


def merge_named(kind: str, declared: Iterable[tuple[str, Iterable[tuple[str, V]]]]) -> dict[str, V]:
    """One mapping from each app's ``(name, value)`` pairs; a name declared twice is an error."""
    merged: dict[str, V] = {}
    owners: dict[str, str] = {}
    for app_label, pairs in declared:
        for name, value in pairs:
            if name in merged:
                raise ImproperlyConfigured(
                    f"The {kind} {name!r} is declared by both the {owners[name]!r} and the "
                    f"{app_label!r} app."
                )
            merged[name] = value
            owners[name] = app_label
    return merged
