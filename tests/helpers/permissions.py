"""The CLI held to permission bits, as a clerk's login is, even when the tests run as root.

Root passes every permission check, and CI runs as root: the CLI is then run without the
capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH; CAP_CHOWN and
CAP_FOWNER, which would let it take another login's folder or change its modes), dropped
from the child's bounding set before it starts, so a folder it may not write refuses it
as it would refuse a clerk. Where that cannot be had, the tests that need it skip, saying so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers.process import Run, run_cli

PR_CAPBSET_DROP = 24  # <linux/prctl.h>
# <linux/capability.h>: CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
BYPASSING_CAPABILITIES = (0, 1, 2, 3)
NOBODY = 65534  # the login that owns "another login's folder" in these tests


def run_as(non_root: bool, *args: str | Path, limit_file_bytes: int | None = None) -> Run:
    """The CLI with a file size limit (a full disk, as the OS reports it), and/or as a
    user whom permissions bind: as root, without the capabilities that bypass them."""
    import resource
    import signal

    def setup() -> None:  # pragma: no cover - runs in the child
        if limit_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))
        if non_root and os.geteuid() == 0:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            for capability in BYPASSING_CAPABILITIES:
                if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    os._exit(97)

    return run_cli(*args, env={"BLUEZONE_CACHE": "off"}, strict=True, child_setup=setup)


def require_binding_permissions(tmp_path: Path, registry: Path) -> None:
    """Skip unless run_as(True, …) is refused a file it may not read (a copy of
    `registry` made unreadable)."""
    probe = tmp_path / "probe"
    probe.mkdir()
    shutil.copy(registry, probe / "units.yaml")
    os.chmod(probe / "units.yaml", 0)
    try:
        if run_as(True, "--data", probe, "status").code == 0:  # it could read the file
            pytest.skip("permissions cannot be made to bind here")
    finally:
        shutil.rmtree(probe, ignore_errors=True)
