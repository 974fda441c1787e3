import hashlib
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from governance.hubs.apps import check_playbook_checklists
from governance.hubs.checklists import ChecklistFileError, load_checklist

REAL_DIR = Path(django_settings.PLAYBOOK_CHECKLISTS_DIR)
PHASES = ("preparation", "startup", "operations")


def _item(key: str, changes: dict[str, str | None] | None = None) -> list[str]:
    """One valid item's lines; ``changes`` replaces a field's line(s), or drops it with None."""
    lines: dict[str, str | None] = {
        "key": f"  - key: {key}",
        "title": "    title:",
        "title.sv": f"      sv: Titel {key}",
        "title.en": f"      en: Title {key}",
        "description": "    description:",
        "description.sv": "      sv: Beskrivning",
        "description.en": "      en: Description",
        "responsible_role": "    responsible_role: establishment_team",
        "required": "    required: true",
        "target_week": "    target_week: 4",
        "playbook_ref": '    playbook_ref: "Etablering och finansering"',
    }
    lines.update(changes or {})
    return [line for value in lines.values() if value is not None for line in value.split("\n")]


def _checklist(*items: list[str], phase: str = "preparation") -> str:
    lines = [f"phase: {phase}", "items:"]
    for item in items:
        lines += [*item, ""]
    return "\n".join(lines) + "\n"


def _line(text: str, start: str, occurrence: int = 1) -> int:
    """The 1-based number of the ``occurrence``-th line of ``text`` that begins with ``start``."""
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start)]
    return numbers[occurrence - 1]


VALID = _checklist(_item("prep-a"), _item("prep-b"))


def _unclosed_quote() -> str:
    return _checklist(
        _item("prep-a"), _item("prep-b", {"playbook_ref": '    playbook_ref: "Uppst'})
    )


# (file text, start of the faulty line, its occurrence, fragments the problem must contain)
MALFORMED = [
    pytest.param(
        _checklist(_item("prep-a"), _item("prep-b", {"title.en": "     en: Title prep-b"})),
        "     en: Title prep-b",
        1,
        ["expected <block end>"],
        id="bad-indentation",
    ),
    pytest.param(
        _unclosed_quote(),
        '    playbook_ref: "Uppst',
        1,
        ["quoted scalar"],
        id="unclosed-quote",
    ),
    pytest.param(
        # A missing key is reported where the mapping that lacks it begins.
        _checklist(_item("prep-a"), _item("prep-b", {"title.en": None})),
        "      sv: Titel prep-b",
        1,
        ["items[1].title.en", "Field required"],
        id="missing-title-en",
    ),
    pytest.param(
        _checklist(
            _item("prep-a"),
            _item(
                "prep-b",
                {
                    "responsible_role": "    responsible_role: establishment_team\n"
                    "    responsable_role: establishment_team"
                },
            ),
        ),
        "    responsable_role:",
        1,
        ["items[1].responsable_role", "not permitted"],
        id="unknown-field",
    ),
    pytest.param(
        _checklist(_item("prep-a"), _item("prep-b", {"required": '    required: "yes"'})),
        "    required:",
        2,
        ["items[1].required", "boolean"],
        id="required-is-a-string",
    ),
    pytest.param(
        _checklist(_item("prep-a"), _item("prep-b", {"target_week": "    target_week: -1"})),
        "    target_week:",
        2,
        ["items[1].target_week", "greater than or equal to 0"],
        id="negative-target-week",
    ),
    pytest.param(
        _checklist(
            _item("prep-a"), _item("prep-b", {"responsible_role": "    responsible_role: cm"})
        ),
        "    responsible_role:",
        2,
        ["items[1].responsible_role", "'community_manager'"],
        id="unknown-role",
    ),
    pytest.param(
        _checklist(_item("prep-a"), _item("ops-x")),
        "  - key: ops-x",
        1,
        ["'ops-x'", "'prep-'"],
        id="key-of-another-phase",
    ),
    pytest.param(
        _checklist(_item("prep-a"), _item("prep-b"), _item("prep-a")),
        "  - key: prep-a",
        2,
        ["'prep-a'", "twice"],
        id="duplicate-key",
    ),
    pytest.param(
        _checklist(_item("start-a"), phase="startup"),
        "phase: startup",
        1,
        ["'startup'", "'preparation'"],
        id="phase-not-the-file-name",
    ),
    pytest.param(
        "phase: preparation\nitems: []\n",
        "items: []",
        1,
        ["items", "at least 1 item"],
        id="no-items",
    ),
]


@pytest.fixture
def checklist_dir(settings, tmp_path: Path) -> Path:
    settings.PLAYBOOK_CHECKLISTS_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize("phase", PHASES)
def test_load_checklist_reads_the_real_file(phase):
    checklist = load_checklist(phase)
    assert checklist.phase == phase
    assert checklist.source_file == f"{phase}.yaml"
    assert 15 <= len(checklist.items) <= 35


def test_load_checklist_real_keys_are_unique_across_phases():
    keys = [item.key for phase in PHASES for item in load_checklist(phase).items]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("phase", PHASES)
def test_load_checklist_real_items_have_reference_and_both_titles(phase):
    for item in load_checklist(phase).items:
        assert item.playbook_ref.strip(), item.key
        assert item.title.sv.strip(), item.key
        assert item.title.en.strip(), item.key


def test_load_checklist_preparation_requires_principal_budget_and_premises():
    required = {item.key for item in load_checklist("preparation").items if item.required}
    assert {
        "prep-principal-identified",
        "prep-budget-cost-levels-agreed",
        "prep-premises-identified",
    } <= required


def test_load_checklist_sha256_is_that_of_the_file_bytes():
    checklist = load_checklist("preparation")
    expected = hashlib.sha256((REAL_DIR / "preparation.yaml").read_bytes()).hexdigest()
    assert checklist.sha256 == expected


def test_load_checklist_sha256_changes_with_the_bytes_only(checklist_dir):
    path = checklist_dir / "preparation.yaml"
    path.write_text(VALID, encoding="utf-8")
    first = load_checklist("preparation")
    assert load_checklist("preparation").sha256 == first.sha256

    # A comment leaves the items as they were but is still a different file.
    path.write_text("# edited\n" + VALID, encoding="utf-8")
    edited = load_checklist("preparation")
    assert edited.items == first.items
    assert edited.sha256 != first.sha256

    path.write_text(VALID, encoding="utf-8")
    assert load_checklist("preparation").sha256 == first.sha256


def test_load_checklist_accepts_the_test_baseline(checklist_dir):
    (checklist_dir / "preparation.yaml").write_text(VALID, encoding="utf-8")
    assert [item.key for item in load_checklist("preparation").items] == ["prep-a", "prep-b"]


@pytest.mark.parametrize(("text", "line_start", "occurrence", "fragments"), MALFORMED)
def test_load_checklist_malformed_file_names_file_line_and_problem(
    checklist_dir, text, line_start, occurrence, fragments
):
    (checklist_dir / "preparation.yaml").write_text(text, encoding="utf-8")
    line = _line(text, line_start, occurrence)

    with pytest.raises(ChecklistFileError) as caught:
        load_checklist("preparation")

    error = caught.value
    assert error.path == checklist_dir / "preparation.yaml"
    assert error.line == line
    assert str(error).startswith(f"preparation.yaml, line {line}: ")
    for fragment in fragments:
        assert fragment in error.problem


def test_load_checklist_missing_file_names_the_file(checklist_dir):
    with pytest.raises(ChecklistFileError) as caught:
        load_checklist("preparation")

    assert caught.value.line is None
    assert str(caught.value) == "preparation.yaml: the file does not exist"


def test_load_checklist_misspelt_field_names_the_misspelling_and_its_line(checklist_dir):
    text = _checklist(
        _item("prep-a"),
        _item("prep-b", {"responsible_role": "    responsable_role: establishment_team"}),
    )
    (checklist_dir / "preparation.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(ChecklistFileError) as caught:
        load_checklist("preparation")

    misspelt_on = _line(text, "    responsable_role:")
    assert f"line {misspelt_on}: items[1].responsable_role" in caught.value.problem
    assert "items[1].responsible_role: Field required" in caught.value.problem


def test_load_checklist_file_not_in_utf8_names_the_file_and_line(checklist_dir):
    text = _checklist(_item("prep-a"), _item("prep-b", {"title.en": "      en: Café"}))
    (checklist_dir / "preparation.yaml").write_bytes(text.encode("cp1252"))

    with pytest.raises(ChecklistFileError) as caught:
        load_checklist("preparation")

    assert caught.value.line == _line(text, "      en: Café")
    assert "UTF-8" in caught.value.problem


def test_check_playbook_checklists_passes_for_the_real_files():
    assert check_playbook_checklists() == []


@pytest.mark.parametrize("phase", PHASES)
def test_check_playbook_checklists_reports_a_malformed_file(checklist_dir, phase):
    for name in PHASES:
        shutil.copy(REAL_DIR / f"{name}.yaml", checklist_dir / f"{name}.yaml")
    (checklist_dir / f"{phase}.yaml").write_text(f"phase: {phase}\nitems: []\n", encoding="utf-8")

    errors = check_playbook_checklists()

    assert [error.id for error in errors] == ["hubs.E001"]
    assert errors[0].msg.startswith(f"{phase}.yaml, line 2: items")


def test_load_checklist_field_written_twice_is_refused(checklist_dir):
    text = _checklist(
        _item("prep-a"),
        _item("prep-b", {"required": "    required: true\n    required: false"}),
    )
    (checklist_dir / "preparation.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(ChecklistFileError) as caught:
        load_checklist("preparation")

    assert caught.value.line == _line(text, "    required: false")
    assert "'required' is written twice" in caught.value.problem
