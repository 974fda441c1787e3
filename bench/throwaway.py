"""A fresh Django on a throw-away SQLite database for a benchmark, removed at exit."""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from stdnum import luhn


def start_throwaway_django(prefix: str) -> None:
    """Point the platform at an empty temporary folder, set Django up and migrate."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    var_dir = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    os.environ["GOVERNANCE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "governance.settings"

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def org_number(n: int) -> str:
    """A valid, distinct organisation number for the n-th generated organisation."""
    body = f"2{n:08d}"
    return body + luhn.calc_check_digit(body)
