"""Every model of the platform has an admin page that opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

PLATFORM_APPS = {"organisations", "flowruns", "hubs"}


def _platform_models() -> list:
    return [m for m in apps.get_models() if m._meta.app_label in PLATFORM_APPS]


def test_every_platform_model_is_in_the_admin():
    missing = [m._meta.label for m in _platform_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.django_db
def test_admin_lists_and_change_pages_open_with_demo_data(client):
    call_command("seed_demo")
    client.force_login(User.objects.create_superuser("root", "root@example.se", "x"))
    for model in _platform_models():
        meta = model._meta
        listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, meta.label
