"""Which database file to use: ``--db PATH``, else ``$KOMMUNESTYRE_DB``, else the user's data
folder. A path someone named explicitly must exist (a typo must not start an empty programme);
the default one is created on first use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kommunestyre.errors import ValidationError
from kommunestyre.i18n import _

ENV_VAR = "KOMMUNESTYRE_DB"
DEFAULT_NAME = "kommunestyre.json"


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    path: Path
    source: str  # "--db", "KOMMUNESTYRE_DB" or "default"

    @property
    def explicit(self) -> bool:
        return self.source != "default"


def default_path() -> Path:
    import platformdirs  # only needed when no path was given

    return platformdirs.user_data_path("kommunestyre", appauthor=False) / DEFAULT_NAME


def resolve(cli_path: str | None, environ: Mapping[str, str] = os.environ) -> DatabaseLocation:
    if cli_path is not None and not cli_path.strip():
        raise ValidationError("--db", _("needs a file name"))
    if cli_path:
        return DatabaseLocation(Path(cli_path).expanduser(), "--db")
    if environ.get(ENV_VAR):
        return DatabaseLocation(Path(environ[ENV_VAR]).expanduser(), ENV_VAR)
    return DatabaseLocation(default_path(), "default")
