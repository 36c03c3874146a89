"""NCBI's rate, kept by every evidence process of a user on this machine, not by each alone.

NCBI counts requests per IP address (per API key with one): 3 a second without a key, 10 with
one. `evidence serve --workers 2` runs two processes, each enriching on its own, and a command
line `evidence enrich` may run beside them; each process keeping the rate for itself would send
two or three times as many. So a limiter books each request's start in a small file that every
process sending to the same E-utilities service with the same key shares (`slot_file`): under an
exclusive lock (flock) it reads the next free start, takes it, and writes the one after. A
process waits for its slot outside the lock; when its event loop wakes it late, the next free
start moves back with it, so starts stay an interval apart however late one is. Only a regular
file of the user's own is used, never through a symbolic link: the temporary directory is
everyone's.

The slots are times of the system's monotonic clock, which every process on a machine shares
(Linux's CLOCK_MONOTONIC, the time since it booted). A slot further ahead than STALE_AFTER is one
left from before a reboot, or a file someone wrote: it is ignored. Where there is no flock (on
Windows), or where the file cannot be written, each process keeps the rate for itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import stat
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from evidence.config import Settings

try:
    import fcntl
except ImportError:  # Windows: no flock; each process keeps the rate for itself
    fcntl = None  # type: ignore[assignment]

__all__ = ["RateLimiter", "slot_file"]

log = logging.getLogger("evidence.pubmed.client")

STALE_AFTER = 60.0  # seconds: no process books a start this far ahead (180 waiting at 3/s)
SLOT = struct.Struct("<d")  # the next free start, a float of the monotonic clock
LATE = 0.005  # seconds: a request starting this much after its booked start books the next later


class RateLimiter:
    """Space request starts `margin / per_second` apart, across every task sharing it and, with
    `shared` (see slot_file), across every process booking its starts in the same file."""

    def __init__(
        self, per_second: float, *, margin: float = 1.1, shared: Path | None = None
    ) -> None:
        # Biopython waits 0.37 s rather than 1/3 s: exact spacing still drew 429s from NCBI.
        self.interval = margin / per_second
        self.shared = shared if fcntl is not None else None
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait(self) -> None:
        """Return when the next request may start; this process's callers queue in order on
        the lock, and the processes sharing the file take turns by it."""
        async with self._lock:
            now = time.monotonic()
            start = self._in_shared_file(
                lambda path: book_start(path, max(now, self._next), self.interval),
                otherwise=max(now, self._next),
            )
            if start > now:
                await asyncio.sleep(start - now)
            started = time.monotonic()
            self._next = started + self.interval
            if started > start + LATE:  # the loop woke late: the next start moves back too
                self._in_shared_file(lambda path: push_next(path, self._next), otherwise=0.0)

    def _in_shared_file(self, book: Callable[[Path], float], *, otherwise: float) -> float:
        """Book in the shared file; without one, or when it cannot be used (a temporary
        directory this user may not write to, a file not this user's), return `otherwise`, and
        from then on keep the rate in this process alone."""
        if self.shared is None:
            return otherwise
        try:
            return book(self.shared)
        except OSError as error:
            log.warning("NCBI's rate kept by this process alone: %s", error)
            self.shared = None
            return otherwise


def book_start(path: Path, earliest: float, interval: float) -> float:
    """Book the first start at or after `earliest` that no process sharing `path` has taken;
    return it. The file then holds the start after it, `interval` later."""
    with _locked(path) as descriptor:
        start = max(earliest, _booked(descriptor, earliest))
        os.pwrite(descriptor, SLOT.pack(start + interval), 0)
        return start


def push_next(path: Path, not_before: float) -> float:
    """Move the next free start of the processes sharing `path` to `not_before` at the
    earliest (a request that started late); return the next free start."""
    with _locked(path) as descriptor:
        following = max(not_before, _booked(descriptor, not_before))
        os.pwrite(descriptor, SLOT.pack(following), 0)
        return following


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    """Open the booking file, made if missing, and hold its lock: only a regular file of this
    user's, never through a symbolic link (the temporary directory is everyone's)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_uid != os.getuid():
            raise PermissionError(f"{path} is not a file of this user's")
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # released when the file is closed
        yield descriptor
    finally:
        os.close(descriptor)


def _booked(descriptor: int, now: float) -> float:
    """Return the next free start the file holds; 0 when it holds none, or one further ahead
    of `now` than STALE_AFTER (from before a reboot) or not a number."""
    raw = os.pread(descriptor, SLOT.size, 0)
    booked = float(SLOT.unpack(raw)[0]) if len(raw) == SLOT.size else 0.0
    return booked if booked <= now + STALE_AFTER else 0.0


def slot_file(settings: Settings) -> Path:
    """Return the file in which this user's processes book their starts for this E-utilities
    service and key (NCBI's rate is per IP address, or per key with one): in the system's
    temporary directory, named by a hash, so no key is written anywhere."""
    quota = f"{settings.eutils_url.rstrip('/')}\0{settings.ncbi_api_key or ''}"
    digest = hashlib.sha256(quota.encode()).hexdigest()[:16]
    user = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"evidence-ncbi-rate-{user}-{digest}"
