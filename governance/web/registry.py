"""What the installed apps add to the web shell, declared on their AppConfig.

``web_nav = {"name": {"url": "app:view", "label": _("…"), "order": 40, "permission": "…"}}``
puts an entry in the top navigation (``permission`` optional, asked without an object);
``web_urls = {"prefix/": "module.of.urls"}`` mounts the app's pages under the prefix;
``web_start_slots = {"name": "module:function"}`` adds a box to every person's start page: the
function takes the request and returns a ``StartSlot`` (or None when it has nothing for them);
``web_overview_columns = {"name": "module:function"}`` adds a column to the national overview's
table: the function takes the request and the shown hubs' ids and returns an ``OverviewColumn``
(or None when the person may not see it), so the web app never imports the app that fills it.
Names are unique across apps (governance/core/registry.py).
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string

from governance.core.registry import declarations, merge_named


@dataclass(frozen=True)
class StartSlot:
    """One box on the start page: a heading, the template that draws it and its context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    empty_text: str = ""


@dataclass(frozen=True)
class OverviewCell:
    """One hub's value in an added overview column, with a page to read more when there is one."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class OverviewColumn:
    """A column an app adds to the overview: its heading and a cell per hub; a hub it has no
    cell for shows ``empty_text``."""

    title: str
    cells: dict[int, OverviewCell]
    empty_text: str = "\u2014"


def declared_page_urls() -> list[tuple[str, str]]:
    """(prefix, URL module) of every app's pages, mounted at the site's root."""
    return list(
        merge_named(
            "web URL prefix",
            [(label, value.items()) for label, value in declarations("web_urls")],
        ).items()
    )


@cache
def declared_nav() -> list[dict[str, Any]]:
    entries = merge_named(
        "web navigation entry",
        [(label, value.items()) for label, value in declarations("web_nav")],
    )
    return sorted(
        ({"name": name, **entry} for name, entry in entries.items()),
        key=lambda entry: entry.get("order", 100),
    )


def nav_entries(request: HttpRequest) -> list[dict[str, Any]]:
    """The navigation entries this person may open, in order, with their addresses."""
    return [
        {"name": entry["name"], "label": entry["label"], "href": reverse(entry["url"])}
        for entry in declared_nav()
        if "permission" not in entry or request.user.has_perm(entry["permission"])
    ]


@cache
def declared_start_slots() -> list[tuple[str, Any]]:
    slots = merge_named(
        "start page slot",
        [(label, value.items()) for label, value in declarations("web_start_slots")],
    )
    return [(name, import_string(path.replace(":", "."))) for name, path in slots.items()]


def start_slots(request: HttpRequest) -> list[tuple[str, StartSlot]]:
    """The start page's boxes for this person: (name, slot) of every slot that has one."""
    filled = []
    for name, function in declared_start_slots():
        slot = function(request)
        if slot is not None:
            filled.append((name, slot))
    return filled


@cache
def declared_overview_columns() -> list[tuple[str, Any]]:
    columns = merge_named(
        "overview column",
        [(label, value.items()) for label, value in declarations("web_overview_columns")],
    )
    return [(name, import_string(path.replace(":", "."))) for name, path in columns.items()]


def overview_columns(request: HttpRequest, hub_ids: list[int]) -> list[tuple[str, OverviewColumn]]:
    """The columns the apps add to the overview for this person: (name, column) of each one
    that has a column for them, in declaration order."""
    filled = []
    for name, function in declared_overview_columns():
        column = function(request, hub_ids)
        if column is not None:
            filled.append((name, column))
    return filled
