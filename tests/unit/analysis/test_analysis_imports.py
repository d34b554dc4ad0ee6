"""Layering: the analysis core and the recorder import neither the UI nor heavy audio/ML
libraries at import time (DESIGN.md "Layers")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHECK = textwrap.dedent(
    """
    import importlib, pkgutil, sys, json
    names = []
    for pkg in {packages!r}:
        mod = importlib.import_module(pkg)
        names.append(pkg)
        for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
            importlib.import_module(info.name)
            names.append(info.name)
    banned = {banned!r}
    print(json.dumps({{"imported": names, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in banned)}}))
    """
)


def _run(packages: list[str], banned: list[str]) -> dict:
    import json

    code = CHECK.format(packages=packages, banned=banned)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_analysis_imports_no_ui_audio_or_ml():
    out = _run(["analysis"], ["textual", "sounddevice", "faster_whisper", "ctranslate2", "av", "recorder", "tui"])
    assert "analysis.engine" in out["imported"] and "analysis.fillers" in out["imported"]
    assert "analysis.speech.live" in out["imported"] and "analysis.speech.batch" in out["imported"]
    assert out["loaded"] == []


def test_recorder_imports_no_ui_or_ml():
    out = _run(["recorder"], ["textual", "sounddevice", "faster_whisper", "ctranslate2", "tui"])
    assert out["loaded"] == []


def test_only_the_speech_package_imports_faster_whisper_ctranslate2_or_av():
    """Also inside functions (a lazy import is still a dependency on the library)."""
    import ast

    offenders = []
    for top in ("analysis", "recorder", "tui"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("analysis/speech/"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                offenders += [
                    f"{rel}:{node.lineno} {n}"
                    for n in names
                    if n.split(".")[0] in ("faster_whisper", "ctranslate2", "av")
                ]
    assert offenders == []


def test_import_analysis_is_cheap_but_exposes_analyze():
    code = (
        "import sys, analysis; assert 'analysis.engine' not in sys.modules; "
        "from analysis import analyze; import analysis.engine; assert analyze is analysis.engine.analyze; print('ok')"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_cli_start_does_not_load_heavy_modules():
    code = (
        "import sys; from tui.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'textual','sounddevice','faster_whisper','ctranslate2'}))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_analysis_engine_and_cli_command_do_not_need_numpy():
    code = (
        "import sys, analysis.engine, tui.commands.analyze; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'numpy','textual'}))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr
