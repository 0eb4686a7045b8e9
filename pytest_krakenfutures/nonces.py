"""The default nonce source: strictly increasing, close to the time in microseconds, shared by processes.

Every process that takes nonces from one state file (xdist workers signing with one key, say)
registers once: it takes a free slot under a lock, and keeps that slot's byte lock for as long
as it lives. After that a nonce costs no system call: the state file is mapped into memory,
and each process publishes its last nonce in its own cell of the mapping.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import threading
import time

from ._bytelocks import lock_byte, try_lock_byte, unlock_byte
from .errors import ConfigurationError

#: Processes that may take nonces from one state file at the same time. A process's nonces are
#: all congruent to its slot modulo this, so no two processes can ever hand out the same value.
SLOTS = 128
#: The first cell of a state file, telling it from any other file.
_MAGIC = int.from_bytes(b"kfnonce1", "little")
#: Cells: the magic number, how many slots were ever used, then the last nonce of each slot.
_USED, _FIRST = 1, 2
_SIZE = (_FIRST + SLOTS) * 8
#: Locked bytes (past the cells): one per slot, held by its process, and one for registering.
_SLOT_LOCKS = _SIZE
_REGISTRATION_LOCK = _SIZE + SLOTS


class NonceSource:
    """Strictly increasing nonces, unique across threads and across processes sharing ``state_file``.

    A nonce is the smallest number that is congruent to the process's slot modulo ``SLOTS``
    and at least each of: the current time in microseconds, one more than the process's last
    nonce, and one more than every nonce any process published in the state file. So it is a
    16-digit decimal, far below the 64-bit limit, and close to the time: less than ``SLOTS``
    microseconds ahead while the processes together take fewer than one nonce per ``SLOTS``
    microseconds; faster than that it runs ahead (by under ``SLOTS`` per nonce) until the
    pace drops and the clock catches up.

    What the server needs (``_NonceState.accept`` in the simulator, Kraken alike): a nonce the
    key has not used, and, with no nonce window, higher than every nonce accepted before. The
    guarantees here:

    * Unique: two processes' nonces differ modulo ``SLOTS``; a slot is held by one live process
      at a time (its byte lock goes with the process) and a new holder starts above the old
      holder's published nonces; within a process a lock orders the threads.
    * Increasing across processes: a process publishes a nonce in its cell before it hands it
      out, so before any request carries it; cells only grow. A nonce taken after the server
      accepted nonce ``n`` from any process is therefore taken after ``n`` was published, and
      is higher than ``n``. Requests of one key that do not overlap in time reach the server
      in increasing order, even with a window of 0.
    * Requests that do overlap (one has taken its nonce but not yet arrived when another
      arrives) can reach the server in either order, with any nonce scheme. The late one lags
      behind the highest by about the time between taking the two nonces, which the default
      window of one second (1,000,000 microsecond nonces) tolerates.
    """

    def __init__(self, state_file: str | None = None) -> None:
        self.state_file = state_file or default_nonce_file()
        self._table: _SlotTable | None = None
        self._generation = -1

    def __repr__(self) -> str:
        return f"NonceSource(state_file={self.state_file!r})"

    def __call__(self) -> str:
        """Return the next nonce as a decimal string."""
        table = self._table
        if table is None or self._generation != _generation:
            table = self._registration()
        return str(table.take(time.time_ns() // 1000))

    def highest(self) -> int:
        """Return the highest nonce any process has published in the state file (0 before the first)."""
        return self._registration().highest()

    def _registration(self) -> _SlotTable:
        """Return (and remember) this process's registration in the state file."""
        generation = _generation
        table = _table_for(self.state_file)
        self._table, self._generation = table, generation
        return table


class _SlotTable:
    """A process's registration in one state file: its slot and the mapped cells of all slots."""

    def __init__(self, path: str) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            lock_byte(fd, _REGISTRATION_LOCK)
            try:
                self._map = _mapped(fd)
                self._cells = memoryview(self._map).cast("q")
                self.slot = self._claim_slot(fd, path)
            finally:
                unlock_byte(fd, _REGISTRATION_LOCK)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd  # open for as long as the process lives: the slot's lock is held through it
        self._lock = threading.Lock()
        self._last = 0

    def _claim_slot(self, fd: int, path: str) -> int:
        """Take the first slot no live process holds and count it as used (under the registration lock)."""
        cells = self._cells
        if cells[0] != _MAGIC:  # a new file, or not one of ours: start afresh (nonces follow the clock)
            cells[0 : _FIRST + SLOTS] = memoryview(bytes(_SIZE)).cast("q")
            cells[0] = _MAGIC
        for slot in range(SLOTS):
            if try_lock_byte(fd, _SLOT_LOCKS + slot):
                cells[_USED] = max(cells[_USED], slot + 1)
                return slot
        raise ConfigurationError(
            f"more than {SLOTS} processes take nonces from {path} at once; "
            "give each group of processes its own NonceSource(state_file=...)"
        )

    def highest(self) -> int:
        """Return the highest nonce published by any slot ever used."""
        used = min(max(self._cells[_USED], 0), SLOTS)
        return max(self._cells[_FIRST : _FIRST + used], default=0)

    def take(self, now_us: int) -> int:
        """Hand out and publish the next nonce of this process's slot."""
        with self._lock:
            floor = max(now_us, self.highest() + 1, self._last + 1)
            value = floor + (self.slot - floor) % SLOTS
            self._cells[_FIRST + self.slot] = value
            self._last = value
            return value


def _mapped(fd: int) -> mmap.mmap:
    """Map the cells of a state file, growing the file to their size first."""
    if os.fstat(fd).st_size < _SIZE:
        os.ftruncate(fd, _SIZE)
    return mmap.mmap(fd, _SIZE)


#: This process's registrations, by state file, for as long as it lives (closing a state file would
#: drop every lock this process holds on it); forgotten in a forked child, which holds no slot.
_tables: dict[str, _SlotTable] = {}
_tables_lock = threading.Lock()
#: How many forks this process descends from (a source registered in an earlier one registers again).
_generation = 0


def _table_for(state_file: str) -> _SlotTable:
    """Return this process's registration in a state file, registering on first use."""
    key = os.path.realpath(state_file)
    table = _tables.get(key)
    if table is None:
        with _tables_lock:
            table = _tables.get(key)
            if table is None:
                table = _tables[key] = _SlotTable(key)
    return table


def _forget_after_fork() -> None:
    """In a forked child: forget the parent's registrations (their slots stay the parent's)."""
    global _tables_lock, _generation
    _tables_lock = threading.Lock()
    _tables.clear()
    _generation += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def default_nonce_file() -> str:
    """Return the per-user state file that the processes of this machine share."""
    user = getattr(os, "getuid", lambda: "user")()
    return os.path.join(tempfile.gettempdir(), f"pytest-krakenfutures-{user}.nonces")


_default_source: NonceSource | None = None
_default_lock = threading.Lock()


def default_nonce() -> str:
    """Return the next nonce from the process-wide default source."""
    global _default_source
    if _default_source is None:
        with _default_lock:
            if _default_source is None:
                _default_source = NonceSource()
    return _default_source()
