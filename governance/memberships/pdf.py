"""PDF copies of generated documents, made by LibreOffice (``soffice``) when it is installed.

One ``soffice`` call converts a whole batch (its start-up, about a second, dominates one file);
each call gets a profile directory of its own, so that two workers converting at once do not
share LibreOffice's user installation.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class PdfUnavailableError(Exception):
    """No PDF copies now; the message says why, for the run's result."""


def soffice_path() -> str | None:
    """The LibreOffice binary PDF copies are made with, or None when copies are off or it is
    not installed (AGREEMENT_PDF_COPIES, SOFFICE_PATH)."""
    if not settings.AGREEMENT_PDF_COPIES:
        return None
    return shutil.which(settings.SOFFICE_PATH)


def convert_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """PDF bytes for each ``name → .docx bytes`` (names are plain file stems), converted in one
    ``soffice`` call. Raises PdfUnavailableError when LibreOffice is missing, fails or times
    out; a file it could not convert is left out of the answer."""
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailableError(
            _("Ingen PDF-kopia: PDF-kopior är avstängda.")
            if not settings.AGREEMENT_PDF_COPIES
            else _("Ingen PDF-kopia: LibreOffice (soffice) är inte installerat.")
        )
    with tempfile.TemporaryDirectory(prefix="agreement-pdf-") as work:
        folder = Path(work)
        sources = []
        for stem, data in documents.items():
            source = folder / f"{stem}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *sources,
        ]
        try:
            subprocess.run(
                command,
                check=True,
                capture_output=True,
                timeout=settings.SOFFICE_TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailableError(
                _("Ingen PDF-kopia: LibreOffice svarade inte inom %(seconds)s sekunder.")
                % {"seconds": settings.SOFFICE_TIMEOUT_SECONDS}
            ) from error
        except subprocess.CalledProcessError as error:
            raise PdfUnavailableError(
                _("Ingen PDF-kopia: LibreOffice misslyckades (%(error)s).")
                % {"error": _last_line(error.stderr) or f"exit {error.returncode}"}
            ) from error
        except OSError as error:
            raise PdfUnavailableError(
                _("Ingen PDF-kopia: LibreOffice misslyckades (%(error)s).")
                % {"error": error.strerror or type(error).__name__}
            ) from error
        return {
            stem: (folder / "pdf" / f"{stem}.pdf").read_bytes()
            for stem in documents
            if (folder / "pdf" / f"{stem}.pdf").is_file()
        }


def _last_line(output: bytes | None) -> str:
    """The last line LibreOffice wrote, short enough for a note: the command itself names
    temporary paths and says nothing to a reader."""
    lines = (output or b"").decode(errors="replace").strip().splitlines()
    return lines[-1][:120] if lines else ""
