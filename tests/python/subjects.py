"""The scan subjects (real Go builds, tests/scan/subjects.json) that the scan and registry
tests judge: the directory scripts/test built them into (FIPS_SCAN_SUBJECTS), or a build of
their own by scripts/build-scan-subjects."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Optional

from vectors import TOP


def prebuilt_subjects() -> Optional[pathlib.Path]:
    """FIPS_SCAN_SUBJECTS when that build completed there (its built.txt), else None."""
    shared = os.environ.get("FIPS_SCAN_SUBJECTS")
    if shared and (pathlib.Path(shared) / "built.txt").is_file():
        return pathlib.Path(shared)
    return None


def build_subjects(out: pathlib.Path) -> pathlib.Path:
    """Builds the subjects into `out` (needs Go and gcc) and returns it."""
    done = subprocess.run(
        [sys.executable, str(TOP / "scripts" / "build-scan-subjects"), str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"scripts/build-scan-subjects failed:\n{done.stderr}"
    return out
