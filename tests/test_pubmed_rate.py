"""NCBI's rate kept across processes: two real processes send ESearches to the loopback
E-utilities server at once, and together keep to 3 requests a second; and the booking file's
rules (stale or unreadable slots are ignored)."""

from __future__ import annotations

import asyncio
import math
import os
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from evidence.config import Settings
from evidence.pubmed.rate import STALE_AFTER, RateLimiter, book_start, slot_file
from tests.eutils_server import EUtilsServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no flock: a process alone")

EACH = 5  # requests a process sends, all at once
# Waits for the moment given (so both processes, started one after the other, send together),
# then sends EACH ESearches at once, with no API key (3 requests/s).
SENDER = """
import asyncio, sys, time
from evidence.config import Settings
from evidence.pubmed.client import EUtilsClient

url, name, go, each = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])

async def main() -> None:
    settings = Settings(eutils_url=url, ncbi_email="tests@example.org", ncbi_api_key=None)
    async with EUtilsClient(settings) as client:
        await asyncio.sleep(max(0.0, go - time.time()))
        terms = [f"{name}{i}[pmid]" for i in range(each)]
        await asyncio.gather(*(client.esearch(term) for term in terms))

asyncio.run(main())
"""


def test_two_processes_keep_ncbis_rate_together(
    eutils_server: Callable[..., EUtilsServer],
) -> None:
    server = eutils_server()  # no records: each search finds none
    go = time.time() + 8  # both processes have imported evidence by then
    environment = {**os.environ, "TMPDIR": tempfile.gettempdir()}  # pytest's, not /tmp
    senders = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER, server.url, name, str(go), str(EACH)], env=environment
        )
        for name in ("a", "b")
    ]
    for sender in senders:
        assert sender.wait(timeout=60) == 0
    requests = server.requests("esearch.fcgi")
    assert len(requests) == 2 * EACH
    starts = {name: [r.started for r in requests if r.params["term"][0] == name] for name in "ab"}
    # They sent at the same time (else keeping the rate alone would have been enough)...
    assert min(starts["a"]) < max(starts["b"]) and min(starts["b"]) < max(starts["a"])
    # ...and together kept NCBI's 3 a second (each keeping it alone, 6 started within one).
    assert server.most_starts_within(1.0) <= 3
    ordered = sorted(r.started for r in requests)
    assert min(later - first for first, later in pairwise(ordered)) >= 0.3  # 0.367 s booked


def test_bookings_follow_one_another_by_the_interval(tmp_path: Path) -> None:
    slots = tmp_path / "slots"
    now = time.monotonic()
    booked = [book_start(slots, now, 0.5) for _ in range(3)]
    assert booked == [now, now + 0.5, now + 1.0]
    assert book_start(slots, now + 10, 0.5) == now + 10  # a free moment is taken as it comes


@pytest.mark.parametrize(
    ("stored", "ahead"),
    [
        ("a slot from before a reboot", 10 * STALE_AFTER),
        ("not a number", math.nan),
        ("infinity", math.inf),
        ("other bytes", None),
        ("nothing", None),
    ],
)
def test_a_stale_or_unreadable_booking_is_ignored(
    tmp_path: Path, stored: str, ahead: float | None
) -> None:
    slots = tmp_path / "slots"
    now = time.monotonic()
    if ahead is not None:
        slots.write_bytes(struct.pack("<d", now + ahead))
    else:
        slots.write_bytes(b"" if stored == "nothing" else b"not a time")
    assert book_start(slots, now, 0.5) == now
    assert book_start(slots, now, 0.5) == now + 0.5


def test_a_start_the_event_loop_made_late_moves_the_next_one_back(tmp_path: Path) -> None:
    slots = tmp_path / "slots"
    limiter = RateLimiter(10.0, margin=1.0, shared=slots)  # 0.1 s apart

    async def hog_the_loop() -> None:
        await asyncio.sleep(0.02)
        time.sleep(0.15)  # past the second start's slot: it wakes late

    async def starts() -> list[float]:
        await limiter.wait()
        hog = asyncio.create_task(hog_the_loop())
        await limiter.wait()
        late = time.monotonic()
        await limiter.wait()
        await hog
        return [late, time.monotonic()]

    late, after = asyncio.run(starts())
    assert after - late >= 0.1 - 0.005
    # and every process sharing the file waits for it too
    assert book_start(slots, time.monotonic(), 0.1) >= after + 0.1 - 0.005


def test_a_booking_file_through_a_symbolic_link_is_not_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "someone-elses-file"
    target.write_bytes(b"precious")
    (tmp_path / "slots").symlink_to(target)
    limiter = RateLimiter(10.0, shared=tmp_path / "slots")
    asyncio.run(limiter.wait())
    assert target.read_bytes() == b"precious"
    assert limiter.shared is None and "kept by this process alone" in caplog.text


def test_the_booking_file_is_one_per_service_and_key_and_names_no_key() -> None:
    plain = slot_file(Settings(eutils_url="http://127.0.0.1:1/eutils", ncbi_api_key=None))
    keyed = slot_file(Settings(eutils_url="http://127.0.0.1:1/eutils", ncbi_api_key="secret"))
    other = slot_file(Settings(eutils_url="http://127.0.0.1:2/eutils", ncbi_api_key=None))
    assert len({plain, keyed, other}) == 3
    assert "secret" not in str(keyed)


def test_a_booking_file_that_cannot_be_written_leaves_the_rate_to_the_process(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = RateLimiter(10.0, margin=1.0, shared=tmp_path / "missing" / "slots")

    async def three_starts() -> list[float]:
        starts = []
        for _ in range(3):
            await limiter.wait()
            starts.append(time.monotonic())
        return starts

    starts = asyncio.run(three_starts())
    assert limiter.shared is None and "kept by this process alone" in caplog.text
    assert all(later - first >= 0.1 - 0.005 for first, later in pairwise(starts))
