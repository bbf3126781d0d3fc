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

#: In a fresh interpreter that has already imported the CLI (requests, yaml … are loaded, as in
#: a run): the adapter's import (apprise) and opening two channels (apprise's service table).
_PROBE = """
import time
import daily_papers.cli
t0 = time.perf_counter()
from daily_papers.notify.channels import open_channels
from daily_papers.notify.redact import Redactor
t1 = time.perf_counter()
open_channels([("notify line 1", "slack://T0AAAA/B0BBBB/CCCCCCCC"),
               ("notify line 2", "tgram://123456789:AAbbCC/-100")], Redactor())
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _probe(runs: int = 7) -> tuple[float, float]:
    found = [
        tuple(float(x) for x in subprocess.check_output([sys.executable, "-c", _PROBE]).split())
        for _ in range(runs)
    ]
    return statistics.median(f[0] for f in found), statistics.median(f[1] for f in found)


def _installed_bytes(name: str) -> int:
    files = metadata.distribution(name).files or []
    total = 0
    for file in files:
        path = Path(str(file.locate()))
        if path.is_file():
            total += path.stat().st_size
    return total


def main() -> None:
    imported, opened = _probe()
    sizes = {name: _installed_bytes(name) for name in ADDED}
    print(f"apprise adapter import, after the CLI's    {imported:.3f} s (median of 7)")
    print(f"opening 2 channels (service table)         {opened:.3f} s (median of 7)")
    for name, size in sizes.items():
        print(f"installed {name:<18} {size / 1e6:6.2f} MB")
    print(f"installed, all added                 {sum(sizes.values()) / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
