"""Advisory locks on single bytes of an open file, held by the process (POSIX ``lockf``, Windows ``locking``).

A process's locks go when it exits, however it exits; a forked child holds none of its
parent's. Locked bytes may lie past the end of the file.
"""

from __future__ import annotations

import os
import sys

if sys.platform == "win32":
    import msvcrt

    def try_lock_byte(fd: int, offset: int) -> bool:
        """Lock one byte unless another process holds it; return whether this process holds it now."""
        os.lseek(fd, offset, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def lock_byte(fd: int, offset: int) -> None:
        """Lock one byte, waiting while another process holds it (``LK_LOCK`` gives up after 10 s: try again)."""
        while True:
            os.lseek(fd, offset, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            except OSError:
                continue
            return

    def unlock_byte(fd: int, offset: int) -> None:
        """Release one byte this process locked."""
        os.lseek(fd, offset, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def try_lock_byte(fd: int, offset: int) -> bool:
        """Lock one byte unless another process holds it; return whether this process holds it now."""
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset, os.SEEK_SET)
        except OSError:
            return False
        return True

    def lock_byte(fd: int, offset: int) -> None:
        """Lock one byte, waiting while another process holds it."""
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, offset, os.SEEK_SET)

    def unlock_byte(fd: int, offset: int) -> None:
        """Release one byte this process locked."""
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset, os.SEEK_SET)
