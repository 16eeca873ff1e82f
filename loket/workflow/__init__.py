"""The dossier workflow: a pure engine over the SOP's steps."""

from loket.workflow.engine import (
    Acting,
    Action,
    Command,
    Refusal,
    Result,
    Transition,
    advance,
    start,
)

__all__ = ["Acting", "Action", "Command", "Refusal", "Result", "Transition", "advance", "start"]
