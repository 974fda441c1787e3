"""The playbook's phase checklists: YAML files in playbook_checklists/, validated on load.

Each file holds one phase's items (see its header for the playbook chapter it comes from).
A malformed file fails with the file name, the line, and what is wrong.
"""

import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator
from pydantic import ValidationError as PydanticValidationError

from governance.organisations.roles import role_enum

Role = role_enum()
PhaseName = Literal["preparation", "startup", "operations"]
KEY_PREFIX = {"preparation": "prep-", "startup": "start-", "operations": "ops-"}


class ChecklistFileError(ValueError):
    """A checklist file that cannot be used, with where and why (first problem first)."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {problem}")

    @classmethod
    def from_problems(
        cls, path: Path, problems: list[tuple[int | None, str]]
    ) -> "ChecklistFileError":
        """One error naming every problem: the first with its line, the rest after it."""
        (line, first), rest = problems[0], problems[1:]
        more = "".join(f"; line {other_line}: {text}" for other_line, text in rest)
        return cls(path, line, first + more)


class LocalisedText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sv: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


class ChecklistItemSpec(BaseModel):
    """One item as written in a checklist file."""

    model_config = ConfigDict(extra="forbid")
    key: Annotated[str, Field(pattern=r"^[a-z]+-[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
    title: LocalisedText
    description: LocalisedText
    responsible_role: Role
    required: StrictBool
    target_week: Annotated[StrictInt, Field(ge=0, le=104)] | None = None
    playbook_ref: Annotated[str, Field(min_length=1, max_length=200)]

    @field_validator("title")
    @classmethod
    def _title_fits(cls, title: LocalisedText) -> LocalisedText:
        if max(len(title.sv), len(title.en)) > 200:
            raise ValueError("a title is at most 200 characters")
        return title


class ChecklistSpec(BaseModel):
    """A whole checklist file: the phase and its items, keys unique and prefixed by phase."""

    model_config = ConfigDict(extra="forbid")
    phase: PhaseName
    items: Annotated[list[ChecklistItemSpec], Field(min_length=1)]


class LoadedChecklist(BaseModel):
    """A validated checklist with the fingerprint of the file it came from."""

    phase: PhaseName
    sha256: str
    source_file: str
    items: list[ChecklistItemSpec]


def checklist_path(phase: str) -> Path:
    return Path(settings.PLAYBOOK_CHECKLISTS_DIR) / f"{phase}.yaml"


def _line_of(root: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    """The line (1-based) in the YAML source of the value at a pydantic error location."""
    node, line = root, None
    for part in location:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
    return node.start_mark.line + 1 if node is not None else line


def _yaml_problem(error: yaml.YAMLError) -> str:
    context = getattr(error, "context", None)
    problem = getattr(error, "problem", None) or str(error)
    return f"{context}: {problem}" if context else problem


def _yaml_error_line(error: yaml.YAMLError, text: str) -> int | None:
    """Where a syntax error is: where the broken construct starts if the file simply ran out
    (an unclosed quote is reported at the end of the file), else where the parser stopped."""
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    at_end = problem is not None and problem.index >= len(text.rstrip())
    mark = context if at_end and context is not None else problem
    return mark.line + 1 if mark is not None else None


def _describe(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_checklist(phase: str) -> LoadedChecklist:
    """Read and validate one phase's checklist file; raise ChecklistFileError if it is bad."""
    path = checklist_path(phase)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise ChecklistFileError(path, None, "the file does not exist") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ChecklistFileError(path, line, "the file is not UTF-8 text") from error
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ChecklistFileError(
            path, _yaml_error_line(error, text), _yaml_problem(error)
        ) from error
    try:
        spec = ChecklistSpec.model_validate(data)
    except PydanticValidationError as error:
        problems = [
            (
                _line_of(root, tuple(detail["loc"])),
                f"{_describe(tuple(detail['loc'])) or 'file'}: {detail['msg']}",
            )
            for detail in error.errors()
        ]
        raise ChecklistFileError.from_problems(path, problems) from error
    _check_consistency(path, root, phase, spec)
    return LoadedChecklist(
        phase=spec.phase,
        sha256=hashlib.sha256(raw).hexdigest(),
        source_file=path.name,
        items=spec.items,
    )


def _repeated_mapping_key(node: yaml.Node) -> tuple[int, str] | None:
    """The line and name of the first key written twice in one mapping (YAML itself keeps
    the last value without a word)."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, _value in node.value:
            if key.value in seen:
                return key.start_mark.line + 1, key.value
            seen.add(key.value)
        children = [value for _key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        return None
    for child in children:
        found = _repeated_mapping_key(child)
        if found:
            return found
    return None


def _check_consistency(path: Path, root: yaml.Node, phase: str, spec: ChecklistSpec) -> None:
    repeated = _repeated_mapping_key(root)
    if repeated:
        line, key = repeated
        raise ChecklistFileError(path, line, f"{key!r} is written twice in the same place")
    if spec.phase != phase:
        raise ChecklistFileError(
            path, _line_of(root, ("phase",)), f"phase is {spec.phase!r} but the file is {phase!r}"
        )
    seen: set[str] = set()
    for index, item in enumerate(spec.items):
        location = ("items", index, "key")
        line, where = _line_of(root, location), _describe(location)
        if not item.key.startswith(KEY_PREFIX[phase]):
            raise ChecklistFileError(
                path, line, f"{where}: key {item.key!r} must start with {KEY_PREFIX[phase]!r}"
            )
        if item.key in seen:
            raise ChecklistFileError(path, line, f"{where}: key {item.key!r} appears twice")
        seen.add(item.key)
