"""The platform's settings plus an app of models that exist only to test shared toolkits."""

from governance.settings import *  # noqa: F403
from governance.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
