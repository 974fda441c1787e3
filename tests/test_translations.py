"""The English translation is complete and the compiled catalogue matches its source."""

import re
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


def test_translations_keep_the_placeholders():
    placeholder = re.compile(r"%\((\w+)\)([sd])")
    wrong = []
    for entry in polib.pofile(str(CATALOGUE / "django.po")):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = set(placeholder.findall(" ".join(sources)))
        if any(set(placeholder.findall(target)) != expected for target in targets):
            wrong.append(entry.msgid)
    assert wrong == []
