"""``make bench``: run every benchmark script in bench/ that exists, one after another.

Each runs as its own ``python -m bench.<name>`` process (never two at once: the machine's
cores are shared); a failing script is reported and the others still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Explicit, in order: the quick in-process ones first, the long crawls last.
SCRIPTS = ("extract_eval", "wording", "typo", "item_list", "crawl", "patrol_time", "hostile")


def main() -> int:
    failed = []
    for name in SCRIPTS:
        if not (HERE / f"{name}.py").exists():
            print(f"== bench.{name}: not present, skipped", flush=True)
            continue
        print(f"== bench.{name}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)
        print(f"== bench.{name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
