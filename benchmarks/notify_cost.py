"""What the notification channels cost a run: apprise's import, opening channels, its size.

``.venv/bin/python benchmarks/notify_cost.py``: each timing is a fresh interpreter (the median of
five), so nothing is cached in the process; sizes are the installed packages apprise brought
in (``pip show`` file lists) in this virtual environment.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

#: What apprise adds to the action's lock beyond what daily-papers already needed.
ADDED = ("apprise", "click", "markdown", "oauthlib", "requests-oauthlib")

_BASELINE = "import daily_papers.cli"
_IMPORT = "import daily_papers.cli, daily_papers.notify.channels"
_OPEN = (
    "import daily_papers.cli\n"
    "from daily_papers.notify.channels import open_channels\n"
    "from daily_papers.notify.redact import Redactor\n"
    "open_channels([('notify line 1', 'slack://T0AAAA/B0BBBB/CCCCCCCC'),"
    " ('notify line 2', 'tgram://123456789:AAbbCC/-100')], Redactor())"
)


def _seconds(code: str, runs: int = 5) -> float:
    timer = "import time\nt = time.perf_counter()\n{}\nprint(time.perf_counter() - t)"
    found = [
        float(subprocess.check_output([sys.executable, "-c", timer.format(code)], text=True))
        for _ in range(runs)
    ]
    return statistics.median(found)


def _installed_bytes(name: str) -> int:
    files = metadata.distribution(name).files or []
    total = 0
    for file in files:
        path = Path(str(file.locate()))
        if path.is_file():
            total += path.stat().st_size
    return total


def main() -> None:
    base = _seconds(_BASELINE)
    imported = _seconds(_IMPORT)
    opened = _seconds(_OPEN)
    sizes = {name: _installed_bytes(name) for name in ADDED}
    print(f"daily_papers.cli import (no channels)      {base:.3f} s")
    print(f"  + the apprise adapter import              +{imported - base:.3f} s")
    print(f"  + opening 2 channels (service table)      +{opened - base:.3f} s")
    for name, size in sizes.items():
        print(f"installed {name:<18} {size / 1e6:6.2f} MB")
    print(f"installed, all added                 {sum(sizes.values()) / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
