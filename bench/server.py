"""The site served the production way: gunicorn, production settings, WhiteNoise."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.process import ROOT


def worker_count() -> int:
    """gunicorn's usual advice for sync workers: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


START_SECONDS = 180


class Server:
    def __init__(self, env: dict, *, port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603 (fixed argument list)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "retex.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        # Workers import Django and Wagtail: seconds on a quiet machine, a
        # minute or more on a loaded one (seen at load average 10).
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up: see {self.log}")
            if self.get("/healthz")[0] == 200:
                return
            time.sleep(0.3)
        raise SystemExit(
            f"gunicorn did not answer /healthz within {START_SECONDS} s: see {self.log}"
        )

    def get(self, path: str, *, session: str | None = None) -> tuple[int, dict, bytes]:
        headers = {"X-Forwarded-Proto": "https"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            self.base_url + path, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
        except OSError:
            return 0, {}, b""

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces.
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                pids.append(int(entry.name))
        return pids

    def worker_memory(self) -> dict:
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, MiB."""
        result = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            values = {}
            for line in status.splitlines():
                key, _, rest = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    values[key] = round(int(rest.split()[0]) / 1024, 1)
            result[pid] = values
        return result

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
