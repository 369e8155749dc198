"""What a cache call costs when Redis is up, refusing connections, and after a failure (not retried for a while).

    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/cache_down.py [--calls 2000]

Prints the mean and p99 of ``cache.get`` per case, in microseconds. The "down" case points the backend at a local
port nobody listens on; "first call" is the one that meets the refused connection.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunshan_training.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from kunshan_training.cache import DegradingRedisCache  # noqa: E402


def refused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(cache, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        started = time.perf_counter()
        cache.get("bench:key")
        out.append((time.perf_counter() - started) * 1e6)
    return out


def report(name: str, samples: list[float]) -> None:
    p99 = sorted(samples)[int(len(samples) * 0.99) - 1] if len(samples) > 1 else samples[0]
    print(f"{name:<44} mean {statistics.fmean(samples):9.1f} µs   p99 {p99:9.1f} µs   ({len(samples)} calls)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    up = DegradingRedisCache(url, {})
    up.set("bench:key", 1, 60)
    report(f"Redis up ({url})", timed(up, args.calls))

    down = DegradingRedisCache(f"redis://127.0.0.1:{refused_port()}/13", {})
    report("Redis refusing: first call", timed(down, 1))
    report("Redis refusing: next calls (not retried 5 s)", timed(down, args.calls))
    always = DegradingRedisCache(f"redis://127.0.0.1:{refused_port()}/13", {"OPTIONS": {"RETRY_AFTER_SECONDS": 0}})
    report("Redis refusing, retried on every call", timed(always, args.calls))


if __name__ == "__main__":
    main()
