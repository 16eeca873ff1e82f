"""What a service refuses, by kind; ``str()`` is the message for the user."""

from __future__ import annotations

from collections.abc import Sequence

from loket.domain.validation import Problem


class ServiceError(Exception):
    """Base of every refusal a person can act on."""


class PermissionDenied(ServiceError):
    pass


class InvalidInput(ServiceError):
    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class NotFoundError(ServiceError):
    pass


class WorkflowRefused(ServiceError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class AuthenticationFailed(ServiceError):
    pass
