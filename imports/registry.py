"""Kinds of import that other apps bring: the machinery here (upload, streaming read, the job with its progress,
problems by row and column, dry run, confirm, the template) runs them like its own three.

An app registers its kind in its ``AppConfig.ready`` (``courses`` registers ``online_completions``)::

    register(RegisteredKind(code="online_completions", label=_("Online course completions"), columns=COLUMNS,
                            resource=CompletionResource, write=write_completions, may_import=is_org_staff, ...))

``write(by=, read=, year=, dry_run=, progress=)`` checks every row and writes all or none, returning an
``imports.services.Outcome`` whose problems are ``(row, column code, message)``; with ``dry_run`` (or any problem in
``read.problems``) it writes nothing and says what it would do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .files import Column

MAX_CODE_LENGTH = 32  # ImportJob.kind


@dataclass(frozen=True)
class RegisteredKind:
    code: str
    label: str  # lazy: translated when shown
    columns: tuple[Column, ...]
    resource: type  # an imports.resources.RowResource
    write: Callable
    may_import: Callable[[object], bool]
    refusal: str  # the PermissionDenied words for anyone else (lazy)
    filename: str  # the template's ASCII file name
    codes_sheet: Callable | None = None  # (codes sheet, user) -> {column code: drop-down range}
    column_help: Callable[[], dict[str, str]] | None = None
    help_lines: Callable[[], list[str]] | None = None
    date_columns: frozenset[str] = field(default_factory=frozenset)
    # Writes credit records: a year is not published while such an import is unfinished (credits year blockers).
    writes_records: bool = False


_KINDS: dict[str, RegisteredKind] = {}


def register(kind: RegisteredKind) -> None:
    """Add (or, on a second ``ready``, replace) a kind. Its code must not be one of the built-in kinds."""
    from .models import ImportKind

    if kind.code in ImportKind.values or len(kind.code) > MAX_CODE_LENGTH:
        raise ValueError(f"Import kind code {kind.code!r} is taken or too long")
    _KINDS[kind.code] = kind


def registered(code: str) -> RegisteredKind | None:
    return _KINDS.get(code)


def registered_kinds() -> list[RegisteredKind]:
    return list(_KINDS.values())


def record_writing_codes() -> list[str]:
    """The registered kinds whose imports write credit records."""
    return [code for code, kind in _KINDS.items() if kind.writes_records]


def writes_records(code: str) -> bool:
    """Whether an import of this kind writes credit records (the built-in activity records, or a registered kind
    that says so)."""
    from .models import ImportKind

    return code == ImportKind.ACTIVITIES or code in record_writing_codes()


def is_known(code: str) -> bool:
    from .models import ImportKind

    return code in ImportKind.values or code in _KINDS


def kind_label(code: str) -> str:
    """The kind's name in the active language (built-in or registered; the code itself when unknown)."""
    from .models import ImportKind

    if code in ImportKind.values:
        return str(ImportKind(code).label)
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code
