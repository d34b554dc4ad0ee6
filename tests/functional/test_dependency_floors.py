"""The lowest versions pyproject.toml allows really run Rehearse (issue 10, "wrong floor").

uv installs the project into a fresh virtual environment with ``--resolution lowest-direct``
(every runtime dependency at its floor, their own dependencies as new as allowed), then the
installed command runs there: the report of the sample transcript is the same as with the
locked versions, the fixture speech is transcribed with the bundled tiny.en (faster-whisper,
CTranslate2, PyAV and the VAD at their floors), and the Pilot tests of every screen's keys
(``Binding.Group`` and the footer: Textual's floor) pass. Needs the package registry or uv's
cache holding those versions; skipped, saying so, when neither has them. ``make floors``
runs this file alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TRANSCRIPT = ROOT / "sample_audio" / "customer-pain-point.transcript.json"
SPEECH_WAV = ROOT / "tests" / "fixtures" / "speech_16k.wav"
# The dev group's own floors, for the Pilot tests run inside the floor environment.
TEST_TOOLS = ("pytest>=8", "pytest-asyncio>=0.24", "pytest-timeout>=2.3")
OFFLINE_HINTS = ("offline", "network", "connect", "dns", "failed to fetch", "timed out", "not found in the cache")

pytestmark = pytest.mark.slow


def _uv() -> str:
    local = ROOT / ".tools" / "bin" / "uv"
    found = str(local) if local.exists() else shutil.which("uv")
    if not found:
        pytest.skip("uv is not installed (make sync-dev puts it in .tools/bin)")
    return found


def _floors() -> dict[str, str]:
    """{distribution: lowest version} from pyproject's runtime dependencies (`>=` or `==`)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    floors = {}
    for dep in deps:
        if ";" in dep:  # an environment marker (tomli on 3.10 only)
            continue
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*(?:>=|==)\s*([0-9][0-9A-Za-z.]*)", dep)
        assert m, f"pyproject.toml: dependency {dep!r} has no floor (>= or ==)"
        floors[m.group(1).lower()] = m.group(2)
    return floors


@pytest.fixture(scope="module")
def floor_python(tmp_path_factory) -> Path:
    uv = _uv()
    venv = tmp_path_factory.mktemp("floors") / "venv"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
    r = subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    python = venv / "bin" / "python"
    install = [
        uv,
        "pip",
        "install",
        "--quiet",
        "--python",
        str(python),
        "--resolution",
        "lowest-direct",
        str(ROOT),
        *TEST_TOOLS,
    ]
    r = subprocess.run(install, capture_output=True, text=True, timeout=600, env=env)
    if r.returncode != 0:  # no registry? uv's cache may still hold every floor
        r = subprocess.run([*install, "--offline"], capture_output=True, text=True, timeout=600, env=env)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["(no output)"])[-1]
        if any(h in r.stderr.lower() for h in OFFLINE_HINTS) and "no solution found" not in r.stderr.lower():
            pytest.skip(f"the package registry cannot be reached and uv's cache lacks the lowest versions: {last}")
        pytest.fail(f"the lowest allowed versions do not install together:\n{r.stderr[-3000:]}")
    return python


def _run(python: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def test_the_floor_environment_has_each_dependency_at_its_floor(floor_python):
    floors = _floors()
    script = "import importlib.metadata as m, json, sys; print(json.dumps({d: m.version(d) for d in sys.argv[1:]}))"
    r = _run(floor_python, "-c", script, *floors)
    assert r.returncode == 0, r.stderr
    installed = {name.lower(): v for name, v in json.loads(r.stdout).items()}

    # "6" installs as 6.0.0: compare release numbers padded with zeros
    def norm(v: str) -> tuple[int, ...]:
        parts = [int(p) for p in re.findall(r"\d+", v)[:3]]
        return tuple(parts + [0] * (3 - len(parts)))

    assert {d: norm(v) for d, v in installed.items()} == {d: norm(v) for d, v in floors.items()}


def test_the_report_at_the_floors_is_the_report_with_the_locked_versions(floor_python, tmp_path):
    args = ("analyze", "--json", str(SAMPLE_TRANSCRIPT))
    floor = _run(floor_python, "-m", "tui", *args)
    assert floor.returncode == 0, floor.stderr
    locked = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=300)
    assert locked.returncode == 0, locked.stderr
    assert json.loads(floor.stdout) == json.loads(locked.stdout)


def test_speech_is_transcribed_with_the_bundled_model_at_the_floors(floor_python):
    r = _run(floor_python, "-m", "tui", "analyze", "--json", str(SPEECH_WAV))
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout)
    assert report["words"] >= 10, report["words"]
    assert report["duration"] > 5


def test_every_screen_and_its_keys_work_at_textuals_floor(floor_python):
    keys_tests = ROOT / "tests" / "unit" / "tui" / "test_tui_keys.py"
    r = _run(
        floor_python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-W",
        "error::pytest.PytestUnraisableExceptionWarning",
        str(keys_tests),
        timeout=600,
    )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert re.search(r"\b\d+ passed\b", r.stdout), r.stdout[-2000:]
