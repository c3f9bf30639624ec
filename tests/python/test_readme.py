"""The READMEs' Python examples, run as they stand (never a copy kept here).

Each ```python block after a `<!-- test-readme: NAME -->` line in README.md and
fips-py/README.md is executed in a fresh directory that holds the files the examples name,
as a reader would have them: `kube-apiserver` (a real BoringCrypto Go build, the shared scan
subject) and `cluster.yaml` (the documented example as Cluster API objects,
tests/kube/documented-example.yaml). scripts/test-python installs the wheel into a fresh venv
first, so this is what a newcomer's `pip install ./fips-py` gives.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from test_scan import shared_subjects  # noqa: F401  (a fixture: the real Go builds)
from vectors import TOP

MARKED = re.compile(r"^<!-- test-readme: ([\w.-]+) -->\n```python\n(.*?)^```$", re.M | re.S)


def examples():
    for readme in ("README.md", "fips-py/README.md"):
        text = (TOP / readme).read_text(encoding="utf-8")
        for name, code in MARKED.findall(text):
            yield pytest.param(readme, code, id=f"{readme}:{name}")


def test_every_readme_has_a_marked_python_example():
    assert {p.values[0] for p in examples()} == {"README.md", "fips-py/README.md"}


@pytest.mark.parametrize("readme,code", list(examples()))
def test_readme_example_runs_verbatim(readme, code, shared_subjects, tmp_path, monkeypatch):  # noqa: F811
    shutil.copy2(shared_subjects / "boringcrypto", tmp_path / "kube-apiserver")
    shutil.copy2(TOP / "tests" / "kube" / "documented-example.yaml", tmp_path / "cluster.yaml")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"{readme} (python example)", "exec"), {"__name__": "readme"})
    assert os.getcwd() == str(tmp_path)
