"""User-facing error types. The CLI catches `AuditorError` once and exits with 2."""

from __future__ import annotations


class AuditorError(Exception):
    """A mistake the user can fix: bad arguments, a broken rule file, an unreadable path."""


class UsageError(AuditorError):
    """Bad command-line usage."""


class RuleFileError(AuditorError):
    """A rule pack (or rule fixture) that does not load or does not validate."""

    PREFIX = "规则文件有误："

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.PREFIX}{message}")
