"""The platform's settings plus an app of models that exist only to test shared toolkits."""

from governance.settings import *  # noqa: F403
from governance.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# A LibreOffice call per generated agreement would slow the suite by seconds each; the tests of
# PDF copies (tests/memberships/test_pdf_copies.py) turn them on.
AGREEMENT_PDF_COPIES = False
