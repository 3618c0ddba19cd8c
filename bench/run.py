"""`make bench` / `python -m bench.run`: the whole benchmark, end to end.

1. A fresh database of its own: `var/bench/bench.sqlite3` (`BENCH_OUT` for
   another folder than `var/bench/`), or, when `DATABASE_URL` points to
   PostgreSQL, the database `retex_bench` (`BENCH_DATABASE`) on that server
   (dropped and created again; the developer's database is never touched).
2. Migrations, the territories referential, a tenth of the corpus, the search
   index, and the SQL queries of every measured page; then the rest of the
   corpus, the index again (timed: indexing at scale), and the queries again, to
   see whether they grow with the corpus.
3. `collectstatic`, then gunicorn with the production settings (DEBUG=0, static
   files by WhiteNoise, Redis cache when available, so the page cache on),
   2 * cores + 1 workers.
4. For each URL set: a warm-up, then wrk at concurrency 1, 8 and 32; then the
   HTML pages as a logged-in member at concurrency 8. After the warm-up these
   are page cache hits (anonymous and signed-in copies): the report gives the
   share of `X-Cache: HIT` next to each figure. The mutual-aid space
   (`/entraide/`, filtered, a question), for members only, is never
   page-cached: rendered on every request, measured as the member.
5. The mixed run: readers at concurrency 8 across the page sets while a writer
   registers people, cancels registrations and publishes a page (about 2 writes
   a second) and a task worker sends their emails: hit rate, p95 and errors per
   page set, how old the seats shown on the event pages were, and what each
   kind of write made out of date in the page cache.
6. The registration rush: 500 people, one 50-seat training, at once.
7. A second gunicorn with the page cache, the search answer cache and the
   rendered fragments off (`PAGE_CACHE_SECONDS=0`, `SEARCH_CACHE_SECONDS=0`,
   `FRAGMENT_CACHE_SECONDS=0`): every URL set, agenda.ics
   included, at concurrency 1 and 8, anonymous and as a member: the « cold »
   figures, each page rendered on every request.
8. Cold, in process: every page type (interview, article, practice, event,
   profile, the listings, home, search, agenda.ics) rendered with the page
   cache off in one Django process, CPU per render by `time.process_time()`
   (robust to a busy machine), queries and where the time goes (cProfile):
   `bench.cold`.
9. Peak memory of the workers; the report (table, JSON, PNG) in `var/bench/`,
   each target of issue #19 said met or not met at its end.
10. The digest run (`bench.digest`): 5,000 people following 20 things each,
   last week's digests sent in process, time and peak memory
   (`var/bench/digest.json`).

`--only mixed`: the corpus and the mixed run alone, with its report.

See docs/benchmark.md for how to read the report.
"""

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import report as reporting
from bench.load import run_wrk, wrk_path
from bench.process import ROOT, manage, phase, run_command
from bench.rush import rush
from bench.server import Server, worker_count

# Where everything goes: the SQLite database, logs, the report. `BENCH_OUT`
# elsewhere, for a second run beside one in progress (each run empties the
# database it finds there).
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench").resolve()
CONCURRENCY = (1, 8, 32)
# On the server with the page cache off: the cost of one request, and the
# reference load the targets are judged at.
COLD_CONCURRENCY = (1, 8)
# The PostgreSQL database of the run, on the server of DATABASE_URL (dropped
# and created again); `BENCH_DATABASE` for another name.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "retex_bench"


def say(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Generate a realistic corpus, serve it the production way, "
        "measure, and report under var/bench/ (BENCH_OUT to change it).",
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
    parser.add_argument(
        "--mixed-seconds",
        type=float,
        help="length of the mixed run (default 30, quick 8)",
    )
    parser.add_argument(
        "--write-rate",
        type=float,
        default=2.0,
        help="writes per second during the mixed run",
    )
    parser.add_argument(
        "--read-rate",
        type=float,
        default=100.0,
        help="requests per second of the mixed run's readers, on a fixed "
        "schedule (0: as fast as they are answered)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--only",
        choices=("all", "mixed"),
        default="all",
        help="mixed: the corpus, then the mixed run alone (no other load, no "
        "rush, no cold server, no digest), its report; for working on the cache",
    )
    args = parser.parse_args(argv)
    args.mixed_seconds = args.mixed_seconds or (8.0 if args.quick else 30.0)
    args.duration = args.duration or (1.0 if args.quick else 4.0)
    args.warmup = args.warmup or 1.0
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


def run_digest(env: dict, *, people: int) -> dict:
    """`bench.digest` in its own process; its progress bar goes to stderr."""
    from bench.digest import render

    output = run_command(
        [sys.executable, "-m", "bench.digest", "--people", str(people)],
        env=env,
        capture=True,
    )
    result = json.loads(output.strip().splitlines()[-1])
    say(render(result).strip())
    return result


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

    mixed_only = args.only == "mixed"
    _out, timings["migrate"] = timed("migrate", manage, env, "migrate", "--noinput")
    # Pages name their static files through the manifest: collect them first.
    _out, timings["collectstatic"] = timed(
        "collectstatic", manage, env, "collectstatic", "--noinput"
    )
    if not args.quick and not mixed_only:
        _out, timings["load_territories"] = timed(
            "load_territories", manage, env, "load_territories"
        )

    common = ["--scale", str(args.scale), "--seed", str(args.seed)]
    targets_file = OUT / "targets.json"
    queries_small = None
    small = None
    at_once = args.quick or mixed_only
    if not at_once:
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
        "corpus" if at_once else "corpus: the rest",
        phase,
        env,
        "generate",
        "--part",
        "all" if at_once else "rest",
        *common,
    )
    if at_once:
        targets = phase(env, "targets")
        targets_file.write_text(json.dumps(targets, ensure_ascii=False, indent=2))
    if mixed_only:
        # No search is read during the mixed run.
        targets["meta"]["load_average_at_start"] = load_at_start
        run_mixed_only(args, env, server_env, port, targets, rest, timings, started)
        return
    _out, timings["search_reindex"] = timed(
        "search_reindex (whole corpus)", manage, env, "search_reindex"
    )
    queries_full, _seconds = timed(
        "SQL queries per page (whole corpus)",
        phase,
        env,
        "queries",
        "--targets",
        str(targets_file),
    )

    # Before any server runs: CPU per render is measured on a quiet process.
    cold_inprocess, timings["cold_inprocess"] = timed(
        "cold, in process: CPU per render of every page type",
        phase,
        env,
        "cold",
        "--renders",
        str(5 if args.quick else 10),
        "--profile-renders",
        str(2 if args.quick else 3),
    )
    server = Server(
        server_env, port=port, workers=args.workers, log=OUT / "gunicorn.log"
    )
    say(f"gunicorn: {args.workers} workers on {server.base_url}, page cache on")
    base = targets["targets"]
    member = phase(env, "member-session")
    measured = []
    loads, memory = {}, {}
    server.start()
    try:
        checks = check_targets(server, base, session=member["session"])
        measured += load_all(server, base, args, loads, memory)
        measured += load_logged_in(server, base, args, member["session"], loads, memory)
        mixed = run_mixed(server, env, args, base, targets.get("mixed", {}))
        rush_result = run_rush(server, env, args)
        memory["end"] = server.worker_memory()
    finally:
        server.stop()

    # The same pages again, rendered on every request: a second server with the
    # page cache (and the search answer cache) off.
    cold_server = Server(
        {
            **server_env,
            "PAGE_CACHE_SECONDS": "0",
            "SEARCH_CACHE_SECONDS": "0",
            "FRAGMENT_CACHE_SECONDS": "0",
        },
        port=port,
        workers=args.workers,
        log=OUT / "gunicorn-cold.log",
    )
    say(f"gunicorn: {args.workers} workers on {server.base_url}, page cache off")
    cold_server.start()
    try:
        cold = [
            {
                **t,
                "name": f"{t['name']}{reporting.COLD}",
                "label": f"{t['label']}, cold",
            }
            for t in base
            if t["name"] not in reporting.UNCACHED or t["name"] == "search"
        ]
        check_targets(cold_server, cold, session=member["session"])
        measured += load_all(
            cold_server, cold, args, loads, memory, concurrency=COLD_CONCURRENCY
        )
        measured += load_logged_in(
            cold_server, cold, args, member["session"], loads, memory
        )
    finally:
        cold_server.stop()

    # The digest run (issue 17): its own people and activity, removed afterwards.
    digest, timings["digest"] = timed(
        "digest run: weekly digests of people following 20 things each",
        run_digest,
        env,
        people=500 if args.quick else 5000,
    )
    (OUT / "digest.json").write_text(json.dumps(digest, indent=2))

    timings["total"] = round(time.monotonic() - started, 1)
    result = reporting.build(
        args=args,
        vendor=vendor,
        env=env,
        redis=bool(redis_url),
        corpus={"small": small, "full": rest},
        targets=measured,
        checks=checks,
        loads=loads,
        memory=memory,
        queries={
            "small": queries_small["pages"] if queries_small else {},
            "full": queries_full["pages"],
        },
        rush=rush_result,
        mixed=mixed,
        cold_inprocess=cold_inprocess,
        timings=timings,
        meta_extra={**targets["meta"], "load_average_at_start": load_at_start},
    )
    paths = reporting.write(result, OUT)
    sys.stdout.write(reporting.render(result))
    sys.stdout.write(f"\nReport: {paths['json']}\nChart:  {paths['png']}\n")


def run_mixed_only(args, env, server_env, port, targets, corpus, timings, started):
    """`--only mixed`: the mixed run on the served corpus, and its report."""
    server = Server(
        server_env, port=port, workers=args.workers, log=OUT / "gunicorn.log"
    )
    say(f"gunicorn: {args.workers} workers on {server.base_url}, page cache on")
    server.start()
    try:
        mixed = run_mixed(
            server, env, args, targets["targets"], targets.get("mixed", {})
        )
    finally:
        server.stop()
    timings["total"] = round(time.monotonic() - started, 1)
    result = reporting.build(
        args=args,
        vendor="postgresql" if "postgres" in env["DATABASE_URL"] else "sqlite",
        env=env,
        redis="REDIS_URL" in server_env,
        corpus={"small": None, "full": corpus},
        targets=[],
        checks={},
        loads={},
        memory={},
        queries={"small": {}, "full": {}},
        rush=None,
        mixed=mixed,
        timings=timings,
        meta_extra=targets["meta"],
    )
    paths = reporting.write(result, OUT)
    sys.stdout.write(reporting.render(result))
    sys.stdout.write(f"\nReport: {paths['json']}\n")


def check_targets(server: Server, targets: list[dict], *, session=None) -> dict:
    """Every measured URL answers 200 through gunicorn before it is measured:
    an error page is fast, and must never pass for a result. Pages for members
    only (`member`) are asked with the member's `session`."""
    checks = {}
    for target in targets:
        cookie = session if target.get("member") else None
        statuses = {
            path: server.get(path, session=cookie)[0] for path in target["paths"]
        }
        bad = {path: status for path, status in statuses.items() if status != 200}
        if bad:
            raise SystemExit(f"{target['name']}: not 200 through gunicorn: {bad}")
        checks[target["name"]] = "200"
    return checks


def load_all(
    server: Server, targets: list[dict], args, loads, memory, *, concurrency=None
) -> list[dict]:
    """wrk on every URL set; returns the sets measured, in order. The static
    file, the baseline, is measured first and again last: the machine may be
    busier at one time than at the other."""
    static = [t for t in targets if t["name"] == "static"]
    again = [
        {**t, "name": "static-end", "label": "Static file (baseline, again)"}
        for t in static
    ]
    # Pages for members only are measured by `load_logged_in`.
    anonymous = [t for t in targets if t["name"] != "static" and not t.get("member")]
    ordered = static + anonymous + again
    for target in ordered:
        say(f"wrk: {target['label']} ({', '.join(target['paths'][:2])}…)")
        run_wrk(server.base_url, target["paths"], connections=8, seconds=args.warmup)
        loads[target["name"]] = [
            run_wrk(
                server.base_url, target["paths"], connections=c, seconds=args.duration
            )
            for c in concurrency or CONCURRENCY
        ]
        memory[target["name"]] = server.worker_memory()
    return ordered


def load_logged_in(server, targets, args, session, loads, memory) -> list[dict]:
    """The HTML pages again, as a logged-in member at concurrency 8, and the
    pages for members only (the mutual-aid space). Members share the
    signed-in page cache: with the page cache on, the HTML pages are cache
    hits after the first request of each page (the event page is its stored
    shell with the registration panel rendered for the person); on the cold
    server they are rendered on every request. The mutual-aid pages are never
    page-cached: rendered on every request on both servers. The report tells
    which."""
    measured = []
    for target in targets:
        if reporting.base_name(target["name"]) not in (
            *reporting.HTML_PAGES,
            *reporting.MEMBER_ONLY,
        ):
            continue
        cold = target["name"].endswith(reporting.COLD)
        name = reporting.base_name(target["name"]) + reporting.LOGGED_IN
        name += reporting.COLD if cold else ""
        label = target["label"].removesuffix(", cold") + ", member"
        label += ", cold" if cold else ""
        measured.append({**target, "name": name, "label": label})
        say(f"wrk, logged in: {label}")
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
    return measured


# The readers of the mixed run: wrk connections and share of the read rate per
# page set, 7 connections in all, and the seat sampler, one more reader: 8
# concurrent readers. Each set: the URL sets measured before, and the many
# pages chosen by the targets step (`bench.phases._mixed_reads`): readers of a
# real site read many pages.
MIXED_READERS = {
    "knowledge": (
        "Knowledge pages",
        ("home", "listing", "listing-p100", "listing-filtered", "interview"),
        "knowledge",
        3,
        0.5,
    ),
    "members": (
        "Directory and profiles",
        ("directory", "profile"),
        "profiles",
        1,
        0.15,
    ),
    "agenda": ("Agenda", ("agenda",), None, 1, 0.1),
    "ics": ("agenda.ics", ("ics",), None, 1, 0.05),
    "events": ("Event pages", ("event",), "events", 1, 0.2),
}
# Readings of the written events' pages per second, for their seats.
SAMPLES_PER_SECOND = 10
SEATS = re.compile(r"(\d+)\s+places?\s+restantes?|(Complet\.)")


def seats_shown(html: str) -> int | None:
    """The seats left an event page shows in its registration panel."""
    found = SEATS.search(html)
    if found is None:
        return None
    return 0 if found.group(2) else int(found.group(1))


def run_mixed(
    server: Server, env: dict, args, targets: list[dict], reads: dict
) -> dict:
    """Readers at concurrency 8 across the page sets while a writer process
    registers people, cancels registrations and publishes a page, about
    `--write-rate` times a second, and a task worker sends the emails they
    enqueue; a sampler reads the written events' pages and records the seats
    they show, to compare with the writes."""
    # A task worker, as in production, started first (it takes seconds to
    # start on a busy machine): it sends the emails the registrations and
    # cancellations enqueue and indexes the published page, and writes what it
    # writes (task results, a record of each email sent, its heartbeat) while
    # the readers read.
    worker_log = (OUT / "worker.log").open("w", encoding="utf-8")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        return _run_mixed(server, env, args, targets, reads)
    finally:
        _stop(worker)
        worker_log.close()


def _run_mixed(server, env, args, targets, reads) -> dict:
    seconds, rate = args.mixed_seconds, args.write_rate
    say(
        f"mixed run: {seconds:g} s of reads ({args.read_rate:g}/s) while writing "
        f"{rate:g} times a second"
    )
    common = ["--seconds", str(seconds), "--rate", str(rate)]
    plan = phase(env, "mixed-prepare", *common)
    plan_file = OUT / "mixed-plan.json"
    plan_file.write_text(json.dumps(plan))
    events = plan["events"]
    paths = {t["name"]: t["paths"] for t in targets}
    sets = {}
    for name, (label, names, more, connections, share) in MIXED_READERS.items():
        chosen = [p for n in names for p in paths[n]] + reads.get(more, [])
        if name == "events":
            # The pages being written to, and other events' pages.
            chosen = [e["path"] for e in events] + chosen
        chosen = list(dict.fromkeys(chosen))
        sets[name] = {
            "label": label,
            "paths": chosen,
            "connections": connections,
            "rate": share * args.read_rate if args.read_rate else None,
        }
    # Every page answers 200, and is now in the cache, as on a site in use.
    check_targets(server, [{"name": n, "paths": s["paths"]} for n, s in sets.items()])
    every = [p for s in sets.values() for p in s["paths"]]
    run_wrk(server.base_url, every, connections=8, seconds=args.warmup)

    writer = subprocess.Popen(  # noqa: S603 (fixed argument list)
        [
            *(sys.executable, "-m", "bench.phases", "mixed-write"),
            *("--plan", str(plan_file), *common),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for line in writer.stdout:
            if line.strip() == "READY":
                break
        else:
            raise SystemExit("mixed run: the writer stopped before it was ready")
        writing = threading.Event()
        writing.set()
        with ThreadPoolExecutor(max_workers=len(sets) + 1) as pool:
            writer.stdin.write("go\n")
            writer.stdin.flush()
            readers = {
                name: pool.submit(
                    run_wrk,
                    server.base_url,
                    read["paths"],
                    connections=read["connections"],
                    seconds=seconds,
                    rate=read["rate"],
                )
                for name, read in sets.items()
            }
            sampler = pool.submit(sample_seats, server, events, writing)
            try:
                results = {name: future.result() for name, future in readers.items()}
                output, _errors = writer.communicate(timeout=seconds + 120)
            finally:
                writing.clear()
            samples = sampler.result()
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    if writer.returncode != 0:
        raise SystemExit(f"mixed run: the writer failed ({writer.returncode})")
    written = json.loads(output.strip().splitlines()[-1])
    return {
        "seconds": written["seconds"],
        "write_rate_goal": rate,
        "read_rate_goal": args.read_rate,
        "events": events,
        "sets": {
            name: {"label": read["label"], "paths": read["paths"], "run": results[name]}
            for name, read in sets.items()
        },
        "initial": written["initial"],
        "writes": written["writes"],
        "samples": samples,
    }


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sample_seats(server: Server, events: list[dict], writing) -> list[dict]:
    """Read the written events' pages one after the other, as an anonymous
    visitor, while `writing` is set: the seats each showed, and when."""
    samples = []
    turn = 0
    started = time.monotonic()
    while writing.is_set():
        due = started + turn / SAMPLES_PER_SECOND
        if due > time.monotonic():
            time.sleep(due - time.monotonic())
        event = events[turn % len(events)]
        turn += 1
        sent = time.time()
        status, headers, body = server.get(event["path"])
        received = time.time()
        samples.append(
            {
                "event": event["id"],
                "sent": sent,
                "received": received,
                "status": status,
                "cache": headers.get("X-Cache", ""),
                "seats": seats_shown(body.decode("utf-8", "replace"))
                if status == 200
                else None,
            }
        )
    return samples


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
