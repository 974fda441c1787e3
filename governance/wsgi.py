"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")
application = get_wsgi_application()

from governance.workflows import warm_up_in_background  # noqa: E402 (needs the app loaded)

warm_up_in_background()
