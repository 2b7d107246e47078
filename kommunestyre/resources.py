"""Where the shipped programme definition and letter templates are.

In a wheel they are package data under ``kommunestyre/_data``; in a source checkout (or an
editable install) they are the top-level ``cohorts/`` and ``templates/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def cohorts_dir() -> Path:
    return _shipped("cohorts")


def templates_dir() -> Path:
    return _shipped("templates")
