"""The JSON-lines event stream on stdout (src/run-dir/event-contract.ts), the error type and the exit codes."""

from __future__ import annotations

import json
import os
import sys
import time

EXIT_FAILED, EXIT_INPUT, EXIT_INTERRUPTED = 1, 2, 130


class TrainerError(Exception):
    """A failure with a stable code for the error event, and the exit code it ends the process with."""

    def __init__(self, code: str, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code
        self.exit_code = exit_code

    def __reduce__(self):  # picklable with its fields: Ray hands a node's error to the job's driver
        return TrainerError, (self.code, str(self), self.exit_code)


class Events:
    """The event stream on the real stdout. Everything else that writes to fd 1 is sent to stderr.

    Of several training processes only rank 0 writes the stream (`main`); the others write their error, if
    any, to stderr, and the orchestrator hears of it through rank 0 or the launcher's exit."""

    def __init__(self, main: bool = True) -> None:
        sys.stdout.flush()
        self._out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)  # C libraries and stray prints now land on stderr
        sys.stdout = sys.stderr
        self._main = main

    def emit(self, type_: str, **fields: object) -> None:
        line = json.dumps({"v": 1, "type": type_, "time": time.time(), **fields}) + "\n"
        if not self._main:
            if type_ == "error":
                sys.stderr.write(line)
            return
        self._out.write(line)
        self._out.flush()

    def close(self) -> None:
        self._out.close()


def error_code(e: BaseException) -> str:
    """The error event's code for an exception that is not a TrainerError."""
    import torch

    if isinstance(e, torch.cuda.OutOfMemoryError):
        return "out-of-memory"
    return "internal"
