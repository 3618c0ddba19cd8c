"""The benchmark's report: a table on the terminal, JSON and a PNG chart.

Files go to `var/bench/`: `bench-<timestamp>.json` and `.png`, and copies named
`latest.json` and `latest.png`. Two runs compare with
`python -m bench.report OLD.json NEW.json`.

Targets come from issue #8 and are judged at concurrency 8 (the reference load)
on the pages' 95th percentile; each shows MET or the measured gap. Every figure
says how it was served (issue #19): « cache hit », with the share of answers that
carried `X-Cache: HIT` next to it, or « cold », from a server with the page cache
off (no answer may carry `X-Cache: HIT`). A target judged on a run that was not
served the way it was meant to be (hits in a cold run, misses in a cached one) is
`INVALID`, never MET. The mixed run (readers while registrations, cancellations
and publications happen) reports hit rate, p95 and errors per page set and how
old the seats shown on event pages were.
"""

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from bench.cold import cold_target
from bench.cold import render_report as render_cold_inprocess
from bench.process import ROOT

REFERENCE_CONCURRENCY = 8
PAGE_P95_MS = 100
SEARCH_P95_MS = 100
ICS_MS = 300
CACHE_SHARE_OF_STATIC = 0.75
MAX_RUN_MINUTES = 15
# HTML pages: all of them must meet the p95 target and, for anonymous
# visitors, be served from the page cache almost as fast as a static file.
HTML_PAGES = (
    "home",
    "listing",
    "listing-p100",
    "listing-filtered",
    "listing-filtered-p100",
    "interview",
    "directory",
    "profile",
    "agenda",
    "event",
)
# Pages for members only (the mutual-aid space), measured as a logged-in member
# only, never page-cached: rendered on every request, on both servers.
MEMBER_ONLY = ("aid", "aid-filtered", "aid-question")
# Suffix of the URL sets measured as a logged-in member.
LOGGED_IN = "@member"
# Suffix of the URL sets measured on the server with the page cache off.
COLD = "@cold"
# URL sets that never go through the page cache (WhiteNoise, the search API).
UNCACHED = ("static", "static-end", "search")
# A cached run is taken as "cache hits" when at least this share of its answers
# carried `X-Cache: HIT`; a cold run when none did.
MIN_HIT_SHARE = 0.99
# The mixed run (issue #19): knowledge pages stay in the cache while others
# write, and event pages show seats at most this old.
MIXED_KNOWLEDGE_HIT_SHARE = 0.95
MAX_SEAT_AGE_SECONDS = 5.0
# Paced readers that answered fewer requests than this share of their planned
# rate fell behind: their connections waited on slow answers, so fast ones
# (hits) are over-represented and their hit share is not judged.
MIN_SHARE_OF_PLANNED_RATE = 0.8


def _git(*args: str) -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [git, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _meta(args, vendor, env, redis, database_version, middleware) -> dict:
    return {
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "cores": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": platform.machine(),
        "python": platform.python_version(),
        "django": version("django"),
        "wagtail": version("wagtail"),
        "gunicorn": version("gunicorn"),
        "database": {"vendor": vendor, "version": database_version},
        "cache": "redis" if redis else "locmem",
        "workers": args.workers,
        "scale": args.scale,
        "quick": args.quick,
        "only": getattr(args, "only", "all"),
        "seconds_per_run": args.duration,
        "warmup_seconds": args.warmup,
        "middleware": middleware,
    }


def _peak(memory_by_pid: dict) -> float | None:
    values = [m.get("VmHWM") for m in memory_by_pid.values() if m.get("VmHWM")]
    return max(values) if values else None


def _at(runs: list[dict], concurrency: int) -> dict | None:
    return next((r for r in runs if r["connections"] == concurrency), None)


def base_name(name: str) -> str:
    """The URL set a run measured, without the member or cold suffixes."""
    return name.removesuffix(COLD).removesuffix(LOGGED_IN)


def page_mode(name: str) -> str:
    """How a URL set is meant to be served: "cold" (the server with the page
    cache off), "cache" (the page cache should answer) or "none" (never goes
    through the page cache)."""
    if name.endswith(COLD):
        return "cold"
    return "none" if base_name(name) in (*UNCACHED, *MEMBER_ONLY) else "cache"


def served(run: dict, mode: str) -> dict:
    """How the answers of one run were served, from their `X-Cache` headers:
    a label for the figure, the share of hits, and whether the run was served
    the way it was meant to be (no hit when cold, hits when cached)."""
    requests = run.get("requests") or 0
    hits, misses = run.get("cache_hits", 0), run.get("cache_misses", 0)
    absent = max(0, requests - hits - misses)
    share = hits / requests if requests else None
    counts = {"hits": hits, "misses": misses, "no_header": absent}
    if mode == "none":
        return {
            "label": "—",
            "figure": "uncached",
            "hit_share": None,
            "verified": True,
            "note": "",
            **counts,
        }
    if mode == "cold":
        verified = requests > 0 and hits == 0
        note = (
            ""
            if verified
            else (
                "no request answered"
                if not requests
                else f"meant cold, {100 * share:.0f} % X-Cache: HIT"
            )
        )
        return {
            "label": "cold" if verified else f"cold? {100 * (share or 0):.0f}%H",
            "figure": "cold",
            "hit_share": share,
            "verified": verified,
            "note": note,
            **counts,
        }
    verified = share is not None and share >= MIN_HIT_SHARE
    if not requests:
        note = "no request answered"
    elif not hits and not misses:
        note = "meant cache hits, no X-Cache header (page cache off?)"
    elif not verified:
        note = f"meant cache hits, only {100 * share:.0f} % X-Cache: HIT"
    else:
        note = ""
    return {
        "label": f"hit {100 * (share or 0):.0f}%",
        "figure": "cache hit",
        "hit_share": share,
        "verified": verified,
        "note": note,
        **counts,
    }


def seat_staleness(initial: dict, writes: list[dict], samples: list[dict]) -> dict:
    """How old the seats shown on event pages were, compared with the writes.

    `initial`: seats left per event (str id) when the writes started; `writes`:
    each with `event`, `before` and `after` (wall-clock seconds around the
    transaction) and the `seats` left after it (None for writes that change no
    seat); `samples`: each with `event`, `sent`, `received` and the `seats` the
    page showed. A sample is fresh if what it showed was true at some moment
    between its request and its answer (a change counts as happening anywhere
    between its `before` and `after`); else its age is the time between the end
    of the last period in which it was true and the request. A value that was
    never true is counted as `wrong`.
    """
    periods: dict[str, list[tuple]] = {}
    for event, seats in initial.items():
        timeline = [(seats, float("-inf"))]
        changes = sorted(
            (
                w
                for w in writes
                if str(w.get("event")) == str(event)
                and w.get("seats") is not None
                and not w.get("error")
            ),
            key=lambda w: w["before"],
        )
        bounds = []
        for change in changes:
            timeline.append((change["seats"], change["before"]))
            bounds.append(change["after"])
        bounds.append(float("inf"))
        # Each value: from the earliest it may have become true to the latest
        # it may have stopped being true.
        periods[str(event)] = [
            (value, start, end)
            for (value, start), end in zip(timeline, bounds, strict=True)
        ]
    ages, wrong = [], 0
    for sample in samples:
        timeline = periods.get(str(sample["event"]))
        if timeline is None or sample.get("seats") is None:
            wrong += 1
            continue
        same = [p for p in timeline if p[0] == sample["seats"]]
        if any(
            start <= sample["received"] and end >= sample["sent"]
            for _v, start, end in same
        ):
            ages.append(0.0)
            continue
        ended = [end for _v, _s, end in same if end < sample["sent"]]
        if not ended:
            wrong += 1
            continue
        ages.append(sample["sent"] - max(ended))
    ages.sort()
    return {
        "samples": len(samples),
        "stale": sum(1 for age in ages if age > 0),
        "wrong": wrong,
        "max_age_s": round(ages[-1], 2) if ages else None,
        "p95_age_s": round(_percentile(ages, 0.95), 2) if ages else None,
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def build(
    *,
    args,
    vendor,
    env,
    redis,
    corpus,
    targets,
    checks,
    loads,
    memory,
    queries,
    rush,
    timings,
    mixed=None,
    meta_extra=None,
    cold_inprocess=None,
) -> dict:
    meta_extra = meta_extra or {}
    pages = []
    for target in targets:
        name = target["name"]
        mode = page_mode(name)
        runs = [{**run, "served": served(run, mode)} for run in loads.get(name, [])]
        # Pages for members only: their queries were counted as a member.
        asked = base_name(name) if base_name(name) in MEMBER_ONLY else name
        pages.append(
            {
                "name": name,
                "label": target["label"],
                "mode": mode,
                "paths": target["paths"],
                "runs": runs,
                "queries_small": queries["small"].get(asked),
                "queries_full": queries["full"].get(asked),
                "worker_peak_mib": _peak(memory.get(name, {})),
            }
        )
    result = {
        "meta": {
            **_meta(
                args,
                vendor,
                env,
                redis,
                meta_extra.get("database_version", ""),
                meta_extra.get("middleware", []),
            ),
            "load_average_at_start": meta_extra.get("load_average_at_start"),
        },
        "corpus": {
            "totals": corpus["full"]["totals"],
            "small_totals": corpus["small"]["totals"] if corpus["small"] else None,
            "generation_phases": {
                part: corpus[part]["phases"] for part in corpus if corpus[part]
            },
        },
        "timings_seconds": timings,
        "pages": pages,
        "worker_memory_end": memory.get("end", {}),
        "worker_peak_mib": _peak(memory.get("end", {})),
        "rush": rush,
        "mixed": summarize_mixed(mixed) if mixed else None,
        # CPU per render of each page type, page cache off (`bench.cold`).
        "cold_inprocess": cold_inprocess,
    }
    result["targets"] = evaluate(result)
    result["issue_19"] = issue_19_verdicts(result["targets"])
    return result


# --- Targets -----------------------------------------------------------------------

# Issue #19's targets, each judged on the targets below that belong to it:
# (label, whether a target belongs to it).
ISSUE_19 = [
    (
        "every page set p95 < 100 ms at c=8, cold (page cache off)",
        lambda t: (
            (", cold, page cache off)" in t and not t.startswith("agenda.ics"))
            or ("p95 < 100 ms" in t and "never page-cached" in t)
            or (t.startswith("/api/search/") and "cold: answer cache off" in t)
        ),
    ),
    (
        "agenda.ics p95 < 300 ms at c=8, cold",
        lambda t: t.startswith("agenda.ics") and "page cache off" in t,
    ),
    (
        "anonymous pages from cache ≥ 3/4 of the static file, zero errors",
        lambda t: "anonymous ≥ 3/4 of static" in t,
    ),
    (
        "mixed run: about 2 writes/s, none failed (else it measures nothing)",
        lambda t: t.startswith("Mixed run: about"),
    ),
    (
        "mixed run: knowledge pages hit rate ≥ 95 %",
        lambda t: t.startswith("Mixed run, Knowledge pages: hit rate"),
    ),
    (
        "mixed run: pages p95 < 100 ms at c=8 (agenda.ics < 300 ms)",
        lambda t: t.startswith("Mixed run, ") and ": p95 <" in t,
    ),
    (
        "mixed run: event pages show seats at most 5 s old",
        lambda t: t.startswith("Mixed run: event pages show seats"),
    ),
    (
        "every page type < 8 ms of CPU, cold, in process",
        lambda t: t.startswith("Every page type < 8 ms"),
    ),
]


def issue_19_verdicts(targets: list[dict]) -> list[dict]:
    """Each target of issue #19, « met » or « not met » from the targets that
    judge it: met when every one of them is MET; not met when one is not (a
    GAP, or INVALID: a figure that does not measure what it says proves
    nothing); « not measured » when this run judged none (`--only mixed`,
    no mixed run…)."""
    verdicts = []
    for label, belongs in ISSUE_19:
        judged = [t for t in targets if belongs(t["target"])]
        failing = [t for t in judged if t["status"] != "MET"]
        if not judged:
            verdict = "not measured"
        elif failing:
            verdict = "not met"
        else:
            verdict = "met"
        verdicts.append(
            {
                "target": label,
                "verdict": verdict,
                "judged_on": len(judged),
                "failing": [
                    f"{t['target']}: {t['status']} {t['measured']}" for t in failing
                ],
            }
        )
    return verdicts


def search_uncached(result: dict) -> dict | None:
    """Percentiles of the searches computed with the answer cache off (the
    queries step measures each French query once that way)."""
    search = next((p for p in result["pages"] if p["name"] == "search"), None)
    each = ((search or {}).get("queries_full") or {}).get("each")
    if not each:
        return None
    times = sorted(measured["ms"] for measured in each.values())

    def percentile(share: float) -> float:
        return times[min(len(times) - 1, math.ceil(share * len(times)) - 1)]

    return {
        "queries": len(times),
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "max_ms": times[-1],
    }


def summarize_mixed(mixed: dict) -> dict:
    """The mixed run's figures: per page set, its readers' run with how it was
    served; the writes done; how old the seats shown on event pages were."""
    sets = []
    for name, read in mixed["sets"].items():
        run = read["run"]
        sets.append(
            {
                "name": name,
                "label": read["label"],
                "paths": read["paths"],
                "run": {**run, "served": served(run, "cache")},
            }
        )
    writes = mixed["writes"]
    by_kind: dict[str, int] = {}
    for write in writes:
        by_kind[write["kind"]] = by_kind.get(write["kind"], 0) + 1
    seconds = mixed["seconds"]
    return {
        "seconds": seconds,
        "write_rate_goal": mixed.get("write_rate_goal"),
        "read_rate_goal": mixed.get("read_rate_goal"),
        "sets": sets,
        "writes": {
            "total": len(writes),
            "per_second": round(len(writes) / seconds, 2) if seconds else None,
            "by_kind": by_kind,
            "errors": [w["error"] for w in writes if w.get("error")],
        },
        "seats": seat_staleness(mixed["initial"], writes, mixed["samples"]),
        "bumps": summarize_bumps(writes),
        "events": mixed.get("events", []),
        "raw": {"writes": writes, "samples": mixed["samples"]},
    }


def _generic_tag(tag: str) -> str:
    """`page:123` → `page:<id>`: tags counted by kind, not by row."""
    name, _, rest = tag.partition(":")
    return f"{name}:<id>" if rest.isdigit() else tag


def summarize_bumps(writes: list[dict]) -> dict:
    """Per kind of write of the mixed run: how many writes, the page cache
    tags they bumped (ids folded: `page:<id>`), the models whose write started
    a new generation (everything out of date), and how many writes found a
    generation started by another process since the previous one (the
    readers' requests writing something nobody declared)."""
    kinds: dict[str, dict] = {}
    for write in writes:
        kind = kinds.setdefault(
            write["kind"],
            {"writes": 0, "tags": {}, "generations": {}, "generation_elsewhere": 0},
        )
        kind["writes"] += 1
        kind["generation_elsewhere"] += bool(write.get("generation_elsewhere"))
        for origin, tags in write.get("bumped") or []:
            if tags is None:
                kind["generations"][origin] = kind["generations"].get(origin, 0) + 1
                continue
            for tag in {_generic_tag(t) for t in tags}:
                kind["tags"][tag] = kind["tags"].get(tag, 0) + 1
    return kinds


def _target(name, status, measured, goal) -> dict:
    return {"target": name, "status": status, "measured": measured, "goal": goal}


def _errors(run: dict) -> str:
    return f", {run['errors']} errors" if run["errors"] else ""


def _judged(name, run, *, ok, measured, goal) -> dict:
    """A target judged on `run`: MET only with no error and when the run was
    served as it was meant to be (else INVALID, saying how it was served)."""
    how = run.get("served") or {"verified": True, "note": ""}
    if not run["requests"]:
        return _target(name, "GAP", "no request answered during the run", goal)
    if not how["verified"]:
        return _target(name, "INVALID", f"{measured}; {how['note']}", goal)
    status = "MET" if ok and not run["errors"] else "GAP"
    return _target(name, status, measured + _errors(run), goal)


def evaluate(result: dict) -> list[dict]:
    pages = {p["name"]: p for p in result["pages"]}
    vendor = result["meta"]["database"]["vendor"]
    targets = []

    def run(name):
        page = pages.get(name)
        return _at(page["runs"], REFERENCE_CONCURRENCY) if page else None

    def figure(name):
        mode = page_mode(name)
        if mode == "cold":
            return "cold, page cache off"
        if mode == "none":
            return "never page-cached, rendered on every request"
        how = run(name).get("served") or {}
        share = how.get("hit_share")
        hits = f"{100 * share:.0f} %" if share is not None else "no"
        return f"cache hit, {hits} X-Cache: HIT"

    page_sets = [
        *HTML_PAGES,
        *(f"{n}{LOGGED_IN}" for n in (*HTML_PAGES, *MEMBER_ONLY)),
        *(f"{n}{COLD}" for n in HTML_PAGES),
        *(f"{n}{LOGGED_IN}{COLD}" for n in (*HTML_PAGES, *MEMBER_ONLY)),
    ]
    for name in page_sets:
        measured = run(name)
        if measured is None:
            continue
        p95 = measured["p95_ms"]
        targets.append(
            _judged(
                f"{pages[name]['label']}: p95 < {PAGE_P95_MS} ms (c={REFERENCE_CONCURRENCY}, "
                f"{vendor}, {figure(name)})",
                measured,
                ok=p95 < PAGE_P95_MS,
                measured=f"{p95:.1f} ms",
                goal=f"< {PAGE_P95_MS} ms",
            )
        )
    baselines = [r for r in (run("static"), run("static-end")) if r]
    static = max(baselines, key=lambda r: r["rps"]) if baselines else None
    if static:
        floor = static["rps"] * CACHE_SHARE_OF_STATIC
        static_errors = sum(r["errors"] for r in baselines)
        for name in HTML_PAGES:
            measured = run(name)
            if measured is None:
                continue
            share = measured["rps"] / static["rps"] if static["rps"] else 0
            judged = _judged(
                f"{pages[name]['label']}: anonymous ≥ 3/4 of static req/s "
                f"({figure(name)})",
                measured,
                ok=measured["rps"] >= floor,
                measured=f"{measured['rps']:.0f} req/s = {100 * share:.0f} % of "
                f"{static['rps']:.0f}",
                goal=f"≥ {floor:.0f} req/s, 0 errors",
            )
            if static_errors and judged["status"] == "MET":
                judged["status"] = "GAP"
                judged["measured"] += f", {static_errors} errors on the static file"
            targets.append(judged)
    search = run("search")
    if search:
        targets.append(
            _judged(
                f"/api/search/ p95 < {SEARCH_P95_MS} ms on "
                f"{result['corpus']['totals']['knowledge']:,} pages ({vendor}), "
                "served with the answer cache on (repeated searches)",
                search,
                ok=search["p95_ms"] < SEARCH_P95_MS,
                measured=f"{search['p95_ms']:.1f} ms",
                goal=f"< {SEARCH_P95_MS} ms",
            )
        )
    search_cold = run(f"search{COLD}")
    if search_cold:
        targets.append(
            _judged(
                f"/api/search/ p95 < {SEARCH_P95_MS} ms ({vendor}), cold: answer "
                "cache off, every search computed through gunicorn",
                search_cold,
                ok=search_cold["p95_ms"] < SEARCH_P95_MS,
                measured=f"{search_cold['p95_ms']:.1f} ms",
                goal=f"< {SEARCH_P95_MS} ms",
            )
        )
    uncached = search_uncached(result)
    if uncached:
        targets.append(
            _target(
                f"/api/search/ computed, answer cache off: p95 < {SEARCH_P95_MS} ms "
                f"over {uncached['queries']} queries, in process ({vendor})",
                "MET" if uncached["p95_ms"] < SEARCH_P95_MS else "GAP",
                f"{uncached['p95_ms']:.1f} ms (p50 {uncached['p50_ms']:.1f} ms)",
                f"< {SEARCH_P95_MS} ms",
            )
        )
    for name in ("ics", f"ics{COLD}"):
        ics = run(name)
        if ics:
            targets.append(
                _judged(
                    f"agenda.ics p95 < {ICS_MS} ms with "
                    f"{result['corpus']['totals']['events']:,} events "
                    f"(c={REFERENCE_CONCURRENCY}, {figure(name)})",
                    ics,
                    ok=ics["p95_ms"] < ICS_MS,
                    measured=f"{ics['p95_ms']:.1f} ms",
                    goal=f"< {ICS_MS} ms",
                )
            )
    targets += evaluate_mixed(result.get("mixed"))
    grown = []
    for page in result["pages"]:
        small, full = page["queries_small"], page["queries_full"]
        if not small or not full:
            continue
        before, after = small["first"]["queries"], full["first"]["queries"]
        if after > before:
            grown.append(f"{page['label']} {before} → {after}")
    small_totals = result["corpus"]["small_totals"]
    if small_totals:
        ratio = result["corpus"]["totals"]["knowledge"] / max(
            1, small_totals["knowledge"]
        )
        targets.append(
            _target(
                f"SQL queries per page constant as the corpus grows x{ratio:.0f}",
                "MET" if not grown else "GAP",
                "; ".join(grown) if grown else "no page needs more queries",
                "no growth",
            )
        )
    else:
        targets.append(
            _target(
                "SQL queries per page constant as the corpus grows",
                "N/A",
                "not measured in quick mode",
                "no growth",
            )
        )
    rush = result["rush"]
    check = rush["check"] if rush else {}
    exact = rush and (
        rush["errors"] == 0
        and check["confirmed"] == rush["seats"]
        and check["waitlisted"] == rush["people"] - rush["seats"]
        and check["people"] == rush["people"]
        and check["seats_to_first_arrivals"]
        and check["waitlist_in_order"]
    )
    targets.append(
        _target(
            "Registration rush",
            "N/A",
            "not run (--only mixed)",
            "every registration in order, 0 errors",
        )
        if not rush
        else _target(
            f"Registration rush: {rush['people']} people, {rush['seats']} seats",
            "MET" if exact else "GAP",
            f"{check['confirmed']} confirmed, {check['waitlisted']} waitlisted, "
            f"{rush['errors']} errors, in order: "
            f"{'yes' if check['seats_to_first_arrivals'] and check['waitlist_in_order'] else 'no'}"
            f", drained in {rush['drain_seconds']} s",
            f"{rush['seats']} confirmed, {rush['people'] - rush['seats']} waitlisted, "
            "0 errors",
        )
    )
    if result.get("cold_inprocess"):
        targets.append(_target(*cold_target(result["cold_inprocess"])))
    total = result["timings_seconds"]["total"]
    targets.append(
        _target(
            f"make bench within {MAX_RUN_MINUTES} minutes",
            "N/A"
            if result["meta"]["quick"]
            or result["meta"]["scale"] != 1
            or result["meta"].get("only", "all") != "all"
            else "MET"
            if total <= MAX_RUN_MINUTES * 60
            else "GAP",
            f"{total / 60:.1f} min",
            f"≤ {MAX_RUN_MINUTES} min",
        )
    )
    return targets


def evaluate_mixed(mixed: dict | None) -> list[dict]:
    """Targets under the mixed run: readers at c=8 while people register and
    cancel and an editor publishes. Misses are expected here: the hit share is
    what is measured, never a reason to set the run aside."""
    if not mixed:
        return []
    targets = []
    writes = mixed["writes"]
    goal_rate = mixed.get("write_rate_goal") or 0
    planned = not writes["errors"] and (writes["per_second"] or 0) >= 0.75 * goal_rate
    targets.append(
        _target(
            f"Mixed run: about {goal_rate:g} writes/s during the reads, none failed",
            "MET" if planned else "GAP",
            f"{writes['total']} writes in {mixed['seconds']:g} s "
            f"({writes['per_second']}/s: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(writes["by_kind"].items()))
            + f"), {len(writes['errors'])} failed",
            f"≥ {0.75 * goal_rate:g}/s, 0 failed",
        )
    )
    for read in mixed["sets"]:
        run = read["run"]
        limit = ICS_MS if read["name"] == "ics" else PAGE_P95_MS
        share = run["served"]["hit_share"]
        hits = f"{100 * share:.0f} % X-Cache: HIT" if share is not None else "no answer"
        name = f"Mixed run, {read['label']}: p95 < {limit} ms (c=8 in all; {hits})"
        if not run["requests"]:
            targets.append(_target(name, "GAP", "no request answered", f"< {limit} ms"))
            continue
        targets.append(
            _target(
                name,
                "MET" if run["p95_ms"] < limit and not run["errors"] else "GAP",
                f"{run['p95_ms']:.1f} ms" + _errors(run),
                f"< {limit} ms, 0 errors",
            )
        )
        if read["name"] == "knowledge":
            planned = run.get("rate_goal")
            behind = planned and run["rps"] < MIN_SHARE_OF_PLANNED_RATE * planned
            met = share is not None and share >= MIXED_KNOWLEDGE_HIT_SHARE
            targets.append(
                _target(
                    f"Mixed run, {read['label']}: hit rate ≥ "
                    f"{100 * MIXED_KNOWLEDGE_HIT_SHARE:.0f} % while others write",
                    "INVALID" if behind else "MET" if met else "GAP",
                    hits
                    + (
                        f"; readers fell behind ({run['rps']:.1f} of {planned:g} "
                        "requests/s planned): hits over-represented"
                        if behind
                        else ""
                    ),
                    f"≥ {100 * MIXED_KNOWLEDGE_HIT_SHARE:.0f} % X-Cache: HIT",
                )
            )
    seats = mixed["seats"]
    fresh = (
        seats["samples"]
        and not seats["wrong"]
        and seats["max_age_s"] is not None
        and seats["max_age_s"] <= MAX_SEAT_AGE_SECONDS
    )
    targets.append(
        _target(
            f"Mixed run: event pages show seats at most {MAX_SEAT_AGE_SECONDS:g} s old",
            "MET" if fresh else "GAP",
            f"max {seats['max_age_s']} s, p95 {seats['p95_age_s']} s over "
            f"{seats['samples']} readings ({seats['stale']} stale, "
            f"{seats['wrong']} never true)",
            f"≤ {MAX_SEAT_AGE_SECONDS:g} s",
        )
    )
    return targets


# --- Output ------------------------------------------------------------------------


def _fmt(value, pattern="{:.1f}") -> str:
    return "—" if value is None else pattern.format(value)


def render_mixed(mixed: dict | None) -> list[str]:
    if not mixed:
        return []
    writes, seats = mixed["writes"], mixed["seats"]
    lines = [
        "",
        f"Mixed run, {mixed['seconds']:g} s, page cache on: readers at c=8 in all "
        + (
            f"({mixed['read_rate_goal']:g} requests/s planned) "
            if mixed.get("read_rate_goal")
            else "(as fast as answered) "
        )
        + f"while {writes['total']} writes happened ({writes['per_second']}/s: "
        + ", ".join(f"{n} {kind}" for kind, n in sorted(writes["by_kind"].items()))
        + f"; {len(writes['errors'])} failed)",
        f"{'page set':<30} {'c':>3} {'planned':>8} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6} {'HIT':>6} {'MISS':>6}",
    ]
    for read in mixed["sets"]:
        run = read["run"]
        share = run["served"]["hit_share"]
        lines.append(
            f"{read['label'][:30]:<30} {run['connections']:>3} "
            f"{_fmt(run.get('rate_goal')):>8} {run['rps']:>8.1f} "
            f"{run['p50_ms']:>8.1f} {run['p95_ms']:>8.1f} {run['p99_ms']:>8.1f} "
            f"{run['errors']:>6} "
            f"{_fmt(None if share is None else 100 * share, '{:.0f}%'):>6} "
            f"{run['cache_misses']:>6}"
        )
    lines.append(
        "planned = requests/s the readers were to send; fewer answered means "
        "they fell behind."
    )
    bumps = mixed.get("bumps") or {}
    if bumps:
        lines.append(
            "Writes → what they made out of date in the page cache (tags bumped, "
            "`*` implied with each; generations: everything):"
        )
        for kind, found in sorted(bumps.items()):
            tags = ", ".join(f"{tag} x{n}" for tag, n in sorted(found["tags"].items()))
            generations = ", ".join(
                f"{origin} x{n}" for origin, n in sorted(found["generations"].items())
            )
            lines.append(
                f"  {kind} x{found['writes']}: {tags or 'no tag'}"
                + (f"; NEW GENERATION by {generations}" if generations else "")
            )
        elsewhere = sum(found["generation_elsewhere"] for found in bumps.values())
        lines.append(
            f"  new generations started by another process during the run: "
            f"{'none' if not elsewhere else f'before {elsewhere} writes'}"
        )
    lines.append(
        f"Seats shown on the event pages vs the writes: {seats['samples']} "
        f"readings, {seats['stale']} stale, {seats['wrong']} never true, "
        f"age max {seats['max_age_s']} s, p95 {seats['p95_age_s']} s"
    )
    return lines


def render(result: dict) -> str:
    meta = result["meta"]
    totals = result["corpus"]["totals"]
    lines = [
        "",
        f"Retex benchmark — {meta['timestamp']} — commit {meta['git_commit'][:10]}"
        f"{' (modified)' if meta['git_dirty'] else ''}",
        f"{meta['cores']} cores, Python {meta['python']}, Django {meta['django']}, "
        f"Wagtail {meta['wagtail']}, {meta['database']['vendor']} "
        f"{meta['database']['version']}, cache {meta['cache']}, "
        f"gunicorn {meta['workers']} workers",
        f"Corpus (scale {meta['scale']:g}): {totals['collectivities']:,} "
        f"collectivities, {totals['users']:,} people, {totals['knowledge']:,} "
        f"knowledge pages, {totals['events']:,} events, "
        f"{totals['registrations']:,} registrations",
        "Timings: "
        + ", ".join(f"{k} {v:g} s" for k, v in result["timings_seconds"].items()),
        "",
    ]
    header = (
        f"{'URL set':<30} {'c':>3} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'served':>9} {'SQL q':>9} {'peak MiB':>9}"
    )
    sections = {
        "cache": "Page cache on (production): anonymous visitors, then members",
        "cold": "Cold: a second server with the page cache off "
        "(PAGE_CACHE_SECONDS=0, SEARCH_CACHE_SECONDS=0)",
    }
    section = None
    for page in result["pages"]:
        current = "cold" if page_mode(page["name"]) == "cold" else "cache"
        if current != section:
            section = current
            lines += ["", sections[current], header, "-" * len(header)]
        full = page["queries_full"]
        queries = (
            f"{full['first']['queries']}/{full['second']['queries']}" if full else "—"
        )
        for index, run in enumerate(page["runs"]):
            how = run.get("served") or served(run, page_mode(page["name"]))
            lines.append(
                f"{page['label'][:30] if index == 0 else '':<30} {run['connections']:>3} "
                f"{run['rps']:>8.1f} {run['p50_ms']:>8.1f} {run['p95_ms']:>8.1f} "
                f"{run['p99_ms']:>8.1f} {run['errors']:>6} {how['label']:>9} "
                f"{queries if index == 0 else '':>9} "
                f"{_fmt(page['worker_peak_mib']) if index == 0 else '':>9}"
            )
    lines += [
        "",
        "served = how the answers were served: `hit N%` = share of answers with "
        "X-Cache: HIT (a cached figure);",
        "`cold` = page cache off, no X-Cache: HIT seen (`cold? N%H` if some were);"
        " `—` = never goes through the page cache.",
        "SQL q = queries of a first request / of the same request again (page "
        "cache), in-process.",
    ]
    unverified = [
        f"  {page['label']} (c={run['connections']}): {run['served']['note']}"
        for page in result["pages"]
        for run in page["runs"]
        if run.get("served") and not run["served"]["verified"]
    ]
    if unverified:
        lines += ["", "Not served the way they were meant to be:", *unverified]
    lines += render_mixed(result.get("mixed"))
    lines += [
        "",
        "Where the time goes (one request, in-process, whole corpus):",
    ]
    slow = sorted(
        (p for p in result["pages"] if p["queries_full"]),
        key=lambda p: -p["queries_full"]["first"]["ms"],
    )
    for page in slow:
        first = page["queries_full"]["first"]
        lines.append(
            f"  {page['label']:<32} {first['ms']:>8.1f} ms, of which SQL "
            f"{first['sql_ms']:>7.1f} ms in {first['queries']} queries"
        )
        for query in first.get("slowest_sql", [])[:1]:
            if query["ms"] >= 10:
                lines.append(
                    f"      slowest, {query['ms']:.0f} ms: {query['sql'][:110]}…"
                )
    search = next((p for p in result["pages"] if p["name"] == "search"), None)
    if search and search["queries_full"] and search["queries_full"].get("each"):
        lines.append("  /api/search/ by query, computed (answer cache off):")
        for path, measured in sorted(
            search["queries_full"]["each"].items(), key=lambda item: -item[1]["ms"]
        ):
            lines.append(
                f"    {path:<60} {measured['ms']:>8.1f} ms ({measured['queries']} q)"
            )
    lines += render_cold_inprocess(result.get("cold_inprocess"))
    rush = result["rush"]
    lines += [
        "",
        f"Registration rush: {rush['people']} people at once for {rush['seats']} "
        f"seats: {rush['check']['confirmed']} confirmed, "
        f"{rush['check']['waitlisted']} waitlisted, {rush['errors']} errors "
        f"(statuses {rush['statuses']}), drained in {rush['drain_seconds']} s"
        if rush
        else "Registration rush: not run",
        f"Workers' peak memory (VmHWM): {_fmt(result['worker_peak_mib'])} MiB "
        "for the largest worker",
        "",
        "Targets (issue #8; cold figures and the mixed run: issue #19):",
    ]
    for target in result["targets"]:
        lines.append(
            f"  [{target['status']:<7}] {target['target']}: {target['measured']}"
            + (f" (goal {target['goal']})" if target["status"] != "MET" else "")
        )
    verdicts = result.get("issue_19") or issue_19_verdicts(result["targets"])
    lines += ["", "Issue #19, target by target:"]
    for verdict in verdicts:
        how = (
            f"{verdict['judged_on']} figure(s)"
            if verdict["judged_on"]
            else "not in this run"
        )
        lines.append(f"  {verdict['verdict'].upper():<12} {verdict['target']} ({how})")
        for failing in verdict["failing"][:5]:
            lines.append(f"      {failing}")
        if len(verdict["failing"]) > 5:
            lines.append(f"      … and {len(verdict['failing']) - 5} more")
    return "\n".join(lines) + "\n"


def chart(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pages = result["pages"]

    def label(page):
        # How the figures were served, from the reference run (or the only one).
        run = _at(page["runs"], REFERENCE_CONCURRENCY) or (page["runs"] or [{}])[0]
        how = run.get("served") or served(run, page_mode(page["name"]))
        return (
            page["label"]
            if how["label"] == "—"
            else f"{page['label']} [{how['label']}]"
        )

    labels = [label(p) for p in pages]
    concurrencies = sorted({r["connections"] for p in pages for r in p["runs"]})
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 0.45 * len(pages) + 2.5))
    height = 0.8 / max(1, len(concurrencies))
    for offset, concurrency in enumerate(concurrencies):
        rps, p95 = [], []
        for page in pages:
            run = _at(page["runs"], concurrency)
            rps.append(run["rps"] if run else 0)
            p95.append(run["p95_ms"] if run else 0)
        positions = [i + offset * height for i in range(len(pages))]
        left.barh(positions, rps, height=height, label=f"c={concurrency}")
        right.barh(positions, p95, height=height, label=f"c={concurrency}")
    ticks = [i + height * (len(concurrencies) - 1) / 2 for i in range(len(pages))]
    for axis in (left, right):
        axis.set_yticks(ticks, labels)
        axis.invert_yaxis()
        axis.grid(axis="x", alpha=0.3)
    static = next((p for p in pages if p["name"] == "static"), None)
    reference = _at(static["runs"], REFERENCE_CONCURRENCY) if static else None
    if reference:
        left.axvline(
            reference["rps"] * CACHE_SHARE_OF_STATIC,
            color="black",
            linestyle="--",
            label="3/4 static",
        )
    left.legend(loc="lower right")
    right.legend(loc="lower right")
    left.set_xlabel("requests/s (higher is better)")
    right.set_xscale("log")
    right.axvline(PAGE_P95_MS, color="black", linestyle="--")
    right.set_xlabel("p95 latency, ms, log scale (lower is better; line: 100 ms)")
    meta = result["meta"]
    figure.suptitle(
        f"Retex benchmark {meta['timestamp']} — {meta['git_commit'][:10]} — "
        f"{meta['database']['vendor']}, {meta['cores']} cores, scale {meta['scale']:g}"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(result: dict, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = result["meta"]["timestamp"].replace(":", "").replace("+0000", "Z")
    json_path = folder / f"bench-{stamp}.json"
    png_path = folder / f"bench-{stamp}.png"
    json_path.write_text(
        json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    shutil.copyfile(json_path, folder / "latest.json")
    try:
        chart(result, png_path)
        shutil.copyfile(png_path, folder / "latest.png")
    except ImportError:
        png_path = None  # matplotlib comes with the `bench` extra.
    return {"json": json_path, "png": png_path}


# --- Comparing two runs ------------------------------------------------------------


def compare(old: dict, new: dict) -> str:
    lines = [
        f"{'URL set':<32} {'req/s old':>10} {'new':>10} {'p95 old':>9} {'new':>9} "
        f"{'SQL q old':>10} {'new':>5}   (c={REFERENCE_CONCURRENCY})"
    ]
    before = {p["name"]: p for p in old["pages"]}
    for page in new["pages"]:
        previous = before.get(page["name"])
        if previous is None:
            continue
        a = _at(previous["runs"], REFERENCE_CONCURRENCY) or {}
        b = _at(page["runs"], REFERENCE_CONCURRENCY) or {}
        qa = (previous.get("queries_full") or {}).get("first", {}).get("queries")
        qb = (page.get("queries_full") or {}).get("first", {}).get("queries")
        lines.append(
            f"{page['label'][:32]:<32} {_fmt(a.get('rps')):>10} {_fmt(b.get('rps')):>10} "
            f"{_fmt(a.get('p95_ms')):>9} {_fmt(b.get('p95_ms')):>9} "
            f"{_fmt(qa, '{}'):>10} {_fmt(qb, '{}'):>5}"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report",
        description="Print a saved report, or compare two.",
    )
    parser.add_argument("reports", nargs="+", type=Path, help="one or two JSON files")
    args = parser.parse_args(argv)
    loaded = [json.loads(path.read_text(encoding="utf-8")) for path in args.reports]
    if len(loaded) == 1:
        sys.stdout.write(render(loaded[0]))
    else:
        sys.stdout.write(compare(loaded[0], loaded[-1]))


if __name__ == "__main__":
    main()
