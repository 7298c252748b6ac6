"""Validation: placeholder replaced below."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    description: str
    blocking: bool = False
    time_check: bool = False


@dataclass(slots=True)
class ValidationResults:
    issues: list[ValidationIssue] = field(default_factory=list)


def validate(claims: Any, now: int | None = None) -> ValidationResults:
    return ValidationResults()
