"""error_code: the environment's failures get the codes src/errors/environment-rules.ts explains to the user."""

import errno

import pytest

from pipeline_trainer.events import error_code


def test_a_real_file_system_failure_gets_its_code(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(OSError) as raised:
        (blocker / "checkpoints").mkdir()
    assert error_code(raised.value) == "not-a-directory"
    with pytest.raises(OSError) as raised:
        blocker.mkdir()
    assert error_code(raised.value) == "path-exists"


def test_disk_full_is_found_in_an_errno_a_cause_or_a_writer_message():
    assert error_code(OSError(errno.ENOSPC, "No space left on device", "/runs/x")) == "no-space"
    # safetensors' Rust writer keeps the OS error in its text only
    rust = RuntimeError('Error while serializing: IoError(Os { code: 28, kind: StorageFull, message: "No space left on device" })')
    assert error_code(rust) == "no-space"
    try:
        try:
            raise OSError(errno.EROFS, "Read-only file system", "/ro")
        except OSError as inner:
            raise RuntimeError("could not save") from inner
    except RuntimeError as outer:
        assert error_code(outer) == "read-only-fs"


def test_anything_else_is_internal():
    assert error_code(ValueError("a bug")) == "internal"
