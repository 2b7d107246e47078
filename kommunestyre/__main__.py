"""Allow ``python -m kommunestyre``."""

from kommunestyre.cli import main

raise SystemExit(main())
