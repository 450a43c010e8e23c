"""Stopping on SIGINT/SIGTERM after the current step, and a SIGTERM when the orchestrator dies."""

from __future__ import annotations

import os
import signal
import sys
import time

from .events import EXIT_INTERRUPTED


class StopFlag:
    """SIGINT/SIGTERM ask the loop to stop after the current step; a second signal exits at once
    (a checkpoint being written then stays a .tmp folder, which is never mistaken for a checkpoint).

    Ctrl-C in a terminal reaches this process and the orchestrator together, and the orchestrator then
    forwards a SIGTERM: signals within a few seconds of the first count as the same request. On Linux the
    trainer also asks for a SIGTERM when its parent dies, so a crashed orchestrator never leaves it training."""

    SAME_REQUEST_S = 5.0

    def __init__(self) -> None:
        self.requested_at: float | None = None
        signal.signal(signal.SIGINT, self._handle)
        signal.signal(signal.SIGTERM, self._handle)
        _term_on_parent_death()

    @property
    def requested(self) -> bool:
        return self.requested_at is not None

    def _handle(self, signum, frame) -> None:
        now = time.monotonic()
        if self.requested_at is not None and now - self.requested_at > self.SAME_REQUEST_S:
            os._exit(EXIT_INTERRUPTED)
        if self.requested_at is None:
            self.requested_at = now


def _term_on_parent_death() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not glibc: the orchestrator still stops the trainer on every path but its own SIGKILL
