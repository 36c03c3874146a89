"""Run `evidence serve` on a bench database, search through its API, and load-test it.

The load test sends `--concurrency` connections' searches for `--load-seconds` over loopback,
on the same 2 cores as the server's `--workers` processes. It uses wrk (C; Debian's package
`wrk`) when it is installed: an asyncio httpx client spends about as much CPU per request as the
server does, so it measures the client as much as the server. Without wrk it falls back to
httpx, and the report says which one ran. Around the load test it reads, from Linux's /proc, the
CPU time the server's processes and PostgreSQL's used (and wrk's, from its exit), and prints it
per search: what 500 searches/s on 2 cores must fit into 4 ms.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from search_timing import percentile

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """`evidence serve` in a subprocess on a free loopback port, with the bench database."""

    def __init__(self, database_url: str, log: Path, workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [str(Path(sys.executable).with_name("evidence")), "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        env = {**os.environ, "EVIDENCE_DATABASE_URL": database_url}
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out, cwd=ROOT)

    def wait_ready(self, seconds: float = 60) -> str | None:
        """Wait for /health to answer; return None when up, else why not."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                return f"evidence serve exited ({self.process.returncode}): {self.tail()}"
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return None
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        return f"evidence serve did not answer /health in {seconds:.0f} s: {self.tail()}"

    def last_error(self) -> str:
        """Return the last exception line the server logged, to say why requests failed."""
        lines = [ln for ln in self.log.read_text(errors="replace").splitlines() if "Error:" in ln]
        return lines[-1].strip() if lines else "none logged"

    def tail(self) -> str:
        """Return the end of the server's log."""
        return self.log.read_text(errors="replace")[-600:]

    def stop(self) -> None:
        """Stop the server, killing it when it does not stop within 10 s."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ApiClient:
    """One keep-alive connection to the API, with the least a client can do: send the request
    and read the whole answer. httpx cost about 1 ms more a request here (building the request,
    then reading the answer into a Response), which is the measuring client's cost, not the
    API's."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def search(self, q: str) -> bytes:
        """Send GET /claims?q=&limit=20; return the answer's body, unparsed."""
        self.connection.request("GET", "/claims?" + urlencode({"q": q, "limit": 20}))
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET /claims?q={q} answered {response.status}: {body[:300]!r}")
        return body

    def search_ids(self, q: str) -> list[int]:
        """Search, and return the ids of the claims found (to compare with the library's)."""
        return [item["id"] for item in json.loads(self.search(q))["items"]]

    def close(self) -> None:
        self.connection.close()


async def hammer(url: str, queries: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Send searches from `concurrency` clients for `seconds`; return throughput and latency."""
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            n = offset
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    params: dict[str, str | int] = {"q": queries[n % len(queries)], "limit": 20}
                    response = await client.get("/claims", params=params)
                    if response.status_code == 200:
                        latencies.append(time.perf_counter() - sent)
                    else:
                        failures[f"HTTP {response.status_code}"] += 1
                except httpx.HTTPError as error:
                    failures[type(error).__name__] += 1
                n += 1

        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "rps": len(latencies) / elapsed,
        "done": len(latencies),
        "failures": failures,
        "p50": percentile(latencies, 0.5) if latencies else math.nan,
        "p99": percentile(latencies, 0.99) if latencies else math.nan,
    }


# Each wrk thread cycles through the searches; `wrk --latency` prints the percentiles.
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[n %% #paths + 1])
end
"""


def load_test(url: str, queries: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Load-test the search with wrk when it is installed, else with httpx (`hammer`)."""
    if shutil.which("wrk") is None:
        return {**asyncio.run(hammer(url, queries, seconds, concurrency)), "client": "httpx"}
    return wrk(url, queries, seconds, concurrency)


def wrk(url: str, queries: list[str], seconds: float, concurrency: int) -> dict[str, Any]:
    """Send searches with wrk (one thread, `concurrency` connections); parse what it prints."""
    paths = ", ".join(f'"/claims?{urlencode({"q": q, "limit": 20})}"' for q in queries)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % paths)
        script.flush()
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:.0f}s", "--latency"]
        command += ["--timeout", "30s", "-s", script.name, url]
        before = os.times()
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        after = os.times()  # a child's CPU time counts once it has been waited for
    cpu = after.children_user + after.children_system
    cpu -= before.children_user + before.children_system
    rps = float(_wrk_figure(out, r"Requests/sec:\s+([\d.]+)"))
    done = int(_wrk_figure(out, r"(\d+) requests in"))
    failures: Counter[str] = Counter()
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        failures["HTTP not 2xx"] = int(non_2xx.group(1))
    if errors := re.search(r"Socket errors: (.*)", out):
        failures[f"socket errors ({errors.group(1).strip()})"] = 1
    return {
        "rps": rps * (done - sum(failures.values())) / done if done else 0.0,
        "done": done - sum(failures.values()),
        "failures": failures,
        "p50": _wrk_seconds(_wrk_figure(out, r"\s50%\s+(\S+)")),
        "p99": _wrk_seconds(_wrk_figure(out, r"\s99%\s+(\S+)")),
        "client": "wrk",
        "client_cpu": cpu,
    }


def cpu_seconds(server_pid: int) -> Counter[str] | None:
    """Return the CPU time (user + system seconds) used so far by the server (`server_pid` and
    its descendants) and by PostgreSQL's processes; None without Linux's /proc. The difference
    of two readings around a load test, per search, says what a search costs."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    processes: dict[int, tuple[str, int, float]] = {}  # pid → (command, parent, CPU seconds)
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in proc.iterdir():
        try:
            raw = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # it exited meanwhile
            continue
        if raw:  # "pid (command) state ppid ... utime stime ...": the command may hold spaces
            command, fields = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :]
            values = fields.split()
            cpu = (int(values[11]) + int(values[12])) / ticks
            processes[int(entry.name)] = (command, int(values[1]), cpu)
    server = {server_pid}
    while grown := {p for p, (_, parent, _) in processes.items() if parent in server} - server:
        server |= grown
    used: Counter[str] = Counter()
    for pid, (command, _, cpu) in processes.items():
        if pid in server:
            used["server"] += cpu
        elif command == "postgres":
            used["postgresql"] += cpu
    return used


def _wrk_figure(out: str, pattern: str) -> str:
    found = re.search(pattern, out)
    if found is None:
        raise RuntimeError(f"wrk printed no {pattern!r}:\n{out}")
    return found.group(1)


def _wrk_seconds(value: str) -> float:
    """Return wrk's '12.34ms', '850.00us' or '1.20s' as seconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]
