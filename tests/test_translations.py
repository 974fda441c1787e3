"""The English translation is complete and the compiled catalogue matches its source."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def test_every_swedish_text_has_an_english_translation():
    source = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [entry.msgid for entry in source.untranslated_entries()]
    fuzzy = [entry.msgid for entry in source.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE / "django.po"))}
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE / "django.mo"))}
    assert compiled == source
