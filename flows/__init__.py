"""Prefect flows of the platform: thin, they call governance services with ids."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
django.setup()
