"""User-facing error types. The CLI catches `AuditorError` once and exits with 2."""

from __future__ import annotations


class AuditorError(Exception):
    """A mistake the user can fix: bad arguments, a broken rule file, an unreadable path."""


class UsageError(AuditorError):
    """Bad command-line usage."""


class RuleFileError(AuditorError):
    """A rule pack that does not load or does not validate."""

    def __init__(self, message: str) -> None:
        super().__init__(f"invalid rule file: {message}")
