"""Entry point: the only place that reads ``os.environ`` and calls ``sys.exit``.

Everything below receives the environment as a mapping and returns an exit status, so
it runs in-process under tests.  An exception that is not a
:class:`~daily_papers.errors.DailyPapersError` is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
import sys

from daily_papers.cli import run


def main() -> None:
    """Console-script entry point for ``daily-papers``."""
    sys.exit(run(sys.argv[1:], dict(os.environ), stdout=sys.stdout, stderr=sys.stderr))


if __name__ == "__main__":
    main()
