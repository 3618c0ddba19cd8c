"""Load generation with `wrk` (Debian package), from another process than the
server's. One run = one URL set at one concurrency for a fixed duration."""

import json
import shutil
from pathlib import Path

from bench.process import run_command

LUA = Path(__file__).parent / "lua" / "paths.lua"
# Every request goes through the same "proxy" header as in production behind a
# TLS-terminating reverse proxy (USE_X_FORWARDED_PROTO=1), so HTTPS-only
# settings apply and nothing is redirected.
PROXY_HEADER = "X-Forwarded-Proto: https"
# What browsers accept: WhiteNoise then sends its pre-compressed static files.
ENCODING_HEADER = "Accept-Encoding: gzip, deflate, br"


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(
            "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or "
            "`brew install wrk`."
        )
    return path


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    connections: int,
    seconds: float,
    timeout: float = 10.0,
    session: str | None = None,
    rate: float | None = None,
) -> dict:
    """Drive `paths` (cycled) at `connections` concurrent connections, as an
    anonymous visitor or with the session cookie `session`; as fast as they are
    answered, or `rate` requests a second on a fixed schedule."""
    threads = max(1, min(connections, 2))
    pacing = [f"rate={rate / threads:g}"] if rate else []
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout:g}s",
        "-H",
        PROXY_HEADER,
        "-H",
        ENCODING_HEADER,
        *(["-H", f"Cookie: sessionid={session}"] if session else []),
        "-s",
        str(LUA),
        base_url,
        "--",
        *pacing,
        *paths,
    ]
    output = run_command(command, capture=True)
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    seconds_run = data["duration_us"] / 1e6
    errors = data["errors"]
    latency = data["latency_us"]
    return {
        "connections": connections,
        "rate_goal": rate,
        "requests": data["requests"],
        "rps": round(data["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p95_ms": round(latency["p95"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "errors": sum(errors.values()),
        "error_detail": errors,
        "cache_hits": data["cache"]["hit"],
        "cache_misses": data["cache"]["miss"],
        "bytes": data["bytes"],
    }
