from __future__ import annotations

import errno

import pytest

from kurt.errors import KurtError, WriteError


@pytest.mark.parametrize(("code", "advice"), [
    (errno.EROFS, "Reading commands (list, search, get) still work; remount"),
    (errno.EACCES, "chmod u+w"),
    (errno.ENOSPC, "Free some disk space"),
    (errno.ENOTDIR, "Check the path"),
])
def test_a_write_error_names_the_file_and_says_what_to_do(code, advice):
    error = WriteError("projects/x/plan.md", OSError(code, "it failed"))
    assert str(error).startswith("Cannot write projects/x/plan.md: it failed. ")
    assert advice in str(error) and "\n" not in str(error)


def test_a_write_error_is_still_an_os_error_with_its_errno():
    error = WriteError("a.md", OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(error, KurtError) and isinstance(error, OSError)
    assert (error.errno, error.strerror, error.filename) == (errno.ENOSPC, "No space left on device",
                                                             "a.md")
    with pytest.raises(OSError):  # code that handles a failed write as an OSError still does
        raise error
