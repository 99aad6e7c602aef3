"""The base of every domain error. Services raise its subclasses; `example_api/api.py` maps
each class to an HTTP status and an error body, in one table.

A domain error knows nothing of HTTP: it has a stable, machine-readable `code` (clients branch
on it, so it never changes once released) and a message for people."""

from typing import ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
