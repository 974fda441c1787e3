"""API shapes every machine's transitions endpoints share."""

from datetime import datetime

from ninja import Field, Schema

from governance.api_input import StrictInput
from governance.text_limits import REASON_MAX_LENGTH


class TransitionOut(Schema):
    name: str
    label: str
    target: str = Field(description="The state it leads to; empty when the transition decides.")


class BlockedTransitionOut(TransitionOut):
    unmet: list[str] = Field(description="Each condition that is not met, in words.")


class StateLogOut(Schema):
    transition: str
    source_state: str | None
    state: str
    by: str | None = Field(
        description="Who ran it; null for the platform itself or if you may not see who."
    )
    timestamp: datetime
    comment: str


class TransitionsOut(Schema):
    state: str
    state_display: str
    available: list[TransitionOut]
    blocked: list[BlockedTransitionOut]
    history: list[StateLogOut]


class TransitionIn(StrictInput):
    comment: str = Field("", max_length=REASON_MAX_LENGTH)
