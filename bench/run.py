"""`make bench` / `python -m bench.run`: the whole benchmark, end to end.

1. A fresh database of its own: `var/bench/bench.sqlite3`, or, when
   `DATABASE_URL` points to PostgreSQL, the database `retex_bench` on that
   server (dropped and created again; the developer's database is never touched).
2. Migrations, the territories referential, a tenth of the corpus, the search
   index, and the SQL queries of every measured page; then the rest of the
   corpus, the index again (timed: indexing at scale), and the queries again, to
   see whether they grow with the corpus.
3. `collectstatic`, then gunicorn with the production settings (DEBUG=0, static
   files by WhiteNoise, Redis cache when available), 2 * cores + 1 workers.
4. For each URL set: a warm-up, then wrk at concurrency 1, 8 and 32; then the
   HTML pages as a logged-in member (no page cache) at concurrency 8.
5. The registration rush: 500 people, one 50-seat training, at once.
6. Peak memory of the workers; the report (table, JSON, PNG) in `var/bench/`.

See docs/benchmark.md for how to read the report.
"""

import argparse
import json
import os
import secrets
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import report as reporting
from bench.load import run_wrk, wrk_path
from bench.process import ROOT, manage, phase
from bench.rush import rush
from bench.server import Server, worker_count

OUT = ROOT / "var" / "bench"
CONCURRENCY = (1, 8, 32)
BENCH_DATABASE = "retex_bench"


def say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Generate a realistic corpus, serve it the production way, "
        "measure, and report under var/bench/.",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="corpus size: 1 = 1,500 collectivities, 5,000 people, 20,000 "
        "pages, 2,000 events, 100,000 registrations; 10 for ten times more",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs (1 s per measurement), for development",
    )
    parser.add_argument("--duration", type=float, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per URL set")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=worker_count())
    parser.add_argument("--rush-people", type=int, help="default 500 (quick: 100)")
    parser.add_argument("--rush-seats", type=int, help="default 50 (quick: 10)")
    parser.add_argument(
        "--no-redis", action="store_true", help="in-process cache even if Redis answers"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    args.duration = args.duration or (1.0 if args.quick else 5.0)
    args.warmup = args.warmup or (1.0 if args.quick else 2.0)
    args.rush_people = args.rush_people or (100 if args.quick else 500)
    args.rush_seats = args.rush_seats or (10 if args.quick else 50)
    return args


# --- Environment -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url(disabled: bool) -> str | None:
    if disabled:
        return None
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1
        ):
            return url
    except OSError:
        return None


def prepare_database() -> tuple[str, str]:
    """A fresh, dedicated database; returns (DATABASE_URL, vendor)."""
    developer_url = os.environ.get("DATABASE_URL", "")
    if developer_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(developer_url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(
                f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'
            )
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}")), "postgresql"
    path = OUT / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", "sqlite"


def bench_environment(database_url: str, port: int, redis_url: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The benchmark measures the embedded search backend and its own cache.
        if key not in ("ELASTICSEARCH_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        BASE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=database_url,
        VAR_DIR=str(OUT / "var"),
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
        # Behind a TLS-terminating proxy: wrk sends X-Forwarded-Proto: https.
        USE_X_FORWARDED_PROTO="1",
        # One proxy in front, which appends the visitor's address to
        # X-Forwarded-For: wrk's requests come from many simulated visitors.
        TRUSTED_PROXY_COUNT="1",
        TASKS_BACKEND="database",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
        # A prefix of its own: nothing of another site or run is read or evicted.
        env["CACHE_KEY_PREFIX"] = f"retex-bench-{int(time.time())}"
    return env


# --- Steps -------------------------------------------------------------------------


def timed(label: str, function, *args, **kwargs):
    say(f"{label}…")
    started = time.monotonic()
    result = function(*args, **kwargs)
    seconds = round(time.monotonic() - started, 1)
    say(f"{label}: {seconds:g} s")
    return result, seconds


def main(argv=None) -> None:
    args = parse_args(argv)
    wrk_path()  # Fail before generating anything if wrk is missing.
    started = time.monotonic()
    # Other work on the machine skews every number: the report says how busy it was.
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    OUT.mkdir(parents=True, exist_ok=True)
    port = args.port or _free_port()
    database_url, vendor = prepare_database()
    redis_url = _redis_url(args.no_redis)
    server_env = bench_environment(database_url, port, redis_url)
    # The steps run quietly; the server logs every request, as in production,
    # to var/bench/gunicorn.log.
    env = {**server_env, "LOG_LEVEL": "WARNING"}
    timings = {}
    say(
        f"database: {vendor} ({urlsplit(database_url).path.lstrip('/')}), cache: "
        f"{'Redis' if redis_url else 'in-process memory'}, scale {args.scale:g}"
    )

    _out, timings["migrate"] = timed("migrate", manage, env, "migrate", "--noinput")
    # Pages name their static files through the manifest: collect them first.
    _out, timings["collectstatic"] = timed(
        "collectstatic", manage, env, "collectstatic", "--noinput"
    )
    if not args.quick:
        _out, timings["load_territories"] = timed(
            "load_territories", manage, env, "load_territories"
        )

    common = ["--scale", str(args.scale), "--seed", str(args.seed)]
    targets_file = OUT / "targets.json"
    queries_small = None
    small = None
    if not args.quick:
        # A tenth first, measured, with a cache of its own so that no page
        # rendered on the small corpus is served later from the cache.
        small_env = {
            **env,
            "CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "") + "-small",
        }
        small, timings["generate_small"] = timed(
            "corpus: first tenth",
            phase,
            small_env,
            "generate",
            "--part",
            "small",
            *common,
        )
        _out, timings["search_reindex_small"] = timed(
            "search_reindex (first tenth)", manage, small_env, "search_reindex"
        )
        targets = phase(small_env, "targets")
        targets_file.write_text(json.dumps(targets, ensure_ascii=False, indent=2))
        queries_small, _seconds = timed(
            "SQL queries per page (first tenth)",
            phase,
            small_env,
            "queries",
            "--targets",
            str(targets_file),
        )
    rest, timings["generate"] = timed(
        "corpus" if args.quick else "corpus: the rest",
        phase,
        env,
        "generate",
        "--part",
        "all" if args.quick else "rest",
        *common,
    )
    _out, timings["search_reindex"] = timed(
        "search_reindex (whole corpus)", manage, env, "search_reindex"
    )
    if args.quick:
        targets = phase(env, "targets")
        targets_file.write_text(json.dumps(targets, ensure_ascii=False, indent=2))
    queries_full, _seconds = timed(
        "SQL queries per page (whole corpus)",
        phase,
        env,
        "queries",
        "--targets",
        str(targets_file),
    )

    server = Server(
        server_env, port=port, workers=args.workers, log=OUT / "gunicorn.log"
    )
    say(f"gunicorn: {args.workers} workers on {server.base_url}")
    server.start()
    try:
        checks = check_targets(server, targets["targets"])
        loads, memory = load_all(server, targets["targets"], args)
        member = phase(env, "member-session")
        load_logged_in(
            server, targets["targets"], args, member["session"], loads, memory
        )
        rush_result = run_rush(server, env, args)
        memory["end"] = server.worker_memory()
    finally:
        server.stop()

    timings["total"] = round(time.monotonic() - started, 1)
    result = reporting.build(
        args=args,
        vendor=vendor,
        env=env,
        redis=bool(redis_url),
        corpus={"small": small, "full": rest},
        targets=targets["targets"],
        checks=checks,
        loads=loads,
        memory=memory,
        queries={
            "small": queries_small["pages"] if queries_small else {},
            "full": queries_full["pages"],
        },
        rush=rush_result,
        timings=timings,
        meta_extra={**targets["meta"], "load_average_at_start": load_at_start},
    )
    paths = reporting.write(result, OUT)
    sys.stdout.write(reporting.render(result))
    sys.stdout.write(f"\nReport: {paths['json']}\nChart:  {paths['png']}\n")


def check_targets(server: Server, targets: list[dict]) -> dict:
    """Every measured URL answers 200 through gunicorn before it is measured:
    an error page is fast, and must never pass for a result."""
    checks = {}
    for target in targets:
        statuses = {path: server.get(path)[0] for path in target["paths"]}
        bad = {path: status for path, status in statuses.items() if status != 200}
        if bad:
            raise SystemExit(f"{target['name']}: not 200 through gunicorn: {bad}")
        checks[target["name"]] = "200"
    return checks


def load_all(server: Server, targets: list[dict], args) -> tuple[dict, dict]:
    """wrk on every URL set. The static file, the baseline, is measured first and
    again last: the machine may be busier at one time than at the other."""
    loads, memory = {}, {}
    static = [t for t in targets if t["name"] == "static"]
    again = [
        {**t, "name": "static-end", "label": "Static file (baseline, again)"}
        for t in static
    ]
    targets[:] = static + [t for t in targets if t["name"] != "static"] + again
    for target in targets:
        say(f"wrk: {target['label']} ({', '.join(target['paths'][:2])}…)")
        run_wrk(server.base_url, target["paths"], connections=8, seconds=args.warmup)
        loads[target["name"]] = [
            run_wrk(
                server.base_url, target["paths"], connections=c, seconds=args.duration
            )
            for c in CONCURRENCY
        ]
        memory[target["name"]] = server.worker_memory()
    return loads, memory


def load_logged_in(server, targets, args, session, loads, memory) -> None:
    """The HTML pages again, as a logged-in member at concurrency 8: the page
    cache never answers logged-in people, so this is what rendering costs."""
    for target in [t for t in targets if t["name"] in reporting.HTML_PAGES]:
        name = f"{target['name']}{reporting.LOGGED_IN}"
        targets.append({**target, "name": name, "label": f"{target['label']}, member"})
        say(f"wrk, logged in: {target['label']}")
        run_wrk(
            server.base_url, target["paths"], connections=8, seconds=1, session=session
        )
        loads[name] = [
            run_wrk(
                server.base_url,
                target["paths"],
                connections=reporting.REFERENCE_CONCURRENCY,
                seconds=args.duration,
                session=session,
            )
        ]
        memory[name] = server.worker_memory()


def run_rush(server: Server, env: dict, args) -> dict:
    say(f"registration rush: {args.rush_people} people, {args.rush_seats} seats")
    prepared = phase(
        env,
        "rush-prepare",
        "--people",
        str(args.rush_people),
        "--seats",
        str(args.rush_seats),
    )
    result = rush(
        port=server.port,
        path=prepared["path"],
        sessions=prepared["sessions"],
        csrf=prepared["csrf"],
    )
    result["seats"] = args.rush_seats
    result["check"] = phase(env, "rush-check", "--event", str(prepared["event"]))
    return result


if __name__ == "__main__":
    main()
