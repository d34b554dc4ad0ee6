"""What `pip install` gets: the wheel (built here, offline, by the project's own build
backend) has the three packages, the `rehearse` command and the example take, and an
installed copy, run from anywhere, finds that example take for its first run."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_FILES = (
    "customer-pain-point.flac",
    "customer-pain-point.transcript.json",
    "customer-pain-point.report.json",
    "customer-pain-point.take.json",
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run(
        [sys.executable, "-c", f"from hatchling.build import build_wheel; print(build_wheel({str(out)!r}))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return out / r.stdout.strip().splitlines()[-1]


def test_wheel_has_the_packages_the_command_and_the_example_take(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "rehearse = tui.cli:main" in z.read(entry_points).decode()
        for name in SAMPLE_FILES:
            assert f"recorder/sample/{name}" in names
            assert z.read(f"recorder/sample/{name}") == (ROOT / "sample_audio" / name).read_bytes()
        # the learned STAR evidence ships as package data (without it segment() falls back to the hand-weighted cues)
        assert z.read("analysis/star/model.json") == (ROOT / "analysis" / "star" / "model.json").read_bytes()
    for module in ("analysis/engine.py", "recorder/takes/store.py", "tui/app.py", "tui/rehearse.tcss"):
        assert module in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_an_installed_copy_starts_its_library_with_the_example_take(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)  # what an installer puts in site-packages
    home = tmp_path / "home"
    env = dict(os.environ, PYTHONPATH=str(site), REHEARSE_HOME=str(home))
    code = (
        "import recorder.takes as L, json\n"
        "lib = L.Library()\n"
        "take = lib.ensure_sample()\n"
        "print(json.dumps([L.__file__, str(L.bundled_sample_dir()), take.question, take.has_report]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    import json

    module, sample_dir, question, has_report = json.loads(r.stdout)
    assert module.startswith(str(site)) and sample_dir == str(site / "recorder" / "sample")
    assert "pain point for customers" in question and has_report
