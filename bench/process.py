"""Running the benchmark's child processes: Django steps, wrk, gunicorn."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_command(command: list[str], *, env=None, capture=False) -> str:
    """Run `command` (a list, never a shell string); stop the benchmark with its
    output if it fails."""
    result = subprocess.run(  # noqa: S603 (fixed argument lists, no shell)
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"Failed ({result.returncode}): {' '.join(command)}\n{result.stdout or ''}"
        )
    return result.stdout or ""


def manage(env, *args: str) -> str:
    return run_command([sys.executable, "manage.py", *args], env=env, capture=True)


def phase(env, *args: str) -> dict:
    """Run a `bench.phases` step; return the JSON it prints last."""
    output = run_command(
        [sys.executable, "-m", "bench.phases", *args], env=env, capture=True
    )
    return json.loads(output.strip().splitlines()[-1])
