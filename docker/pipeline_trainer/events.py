"""The JSON-lines event stream on stdout (src/run-dir/event-contract.ts), the error type and the exit codes."""

from __future__ import annotations

import errno
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


# The user's environment, not a bug: the codes that src/errors/environment-rules.ts turns into a message
# naming the path and what to do (src/errors/environment.test.ts reads this table).
ERRNO_CODES = {
    errno.ENOSPC: "no-space",
    errno.EDQUOT: "no-space",
    errno.EROFS: "read-only-fs",
    errno.EACCES: "permission-denied",
    errno.EPERM: "permission-denied",
    errno.ENOTDIR: "not-a-directory",
    errno.EEXIST: "path-exists",
    errno.EISDIR: "is-a-directory",
    errno.ENOENT: "not-found",
    errno.EMFILE: "too-many-open-files",
    errno.ENFILE: "too-many-open-files",
    errno.EIO: "io-error",
}

# Writers with their own I/O layer (safetensors' Rust writer, torch's zip writer) keep the OS error in the text.
NO_SPACE_TEXT = ("No space left on device", "os error 28", "StorageFull", "Disk quota exceeded")


def error_code(e: BaseException) -> str:
    """The error event's code for an exception that is not a TrainerError."""
    import torch

    if isinstance(e, torch.cuda.OutOfMemoryError):
        return "out-of-memory"
    seen: BaseException | None = e
    for _ in range(5):  # the exception and what caused it
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.errno in ERRNO_CODES:
            return ERRNO_CODES[seen.errno]
        if any(text in str(seen) for text in NO_SPACE_TEXT):
            return "no-space"
        seen = seen.__cause__ or seen.__context__
    return "internal"
