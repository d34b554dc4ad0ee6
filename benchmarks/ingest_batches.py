#!/usr/bin/env python3
"""Take in finished batches of blind-written answers and score them blind.

For every ``/work/corpus_incoming/<writer>/batchNN/`` (a batch is complete once its
folder is no longer ``batchNN.tmp``) not yet in ``tests/corpus/star`` as
``<writer>_bNN_*.txt``:

1. the code as committed (``git archive HEAD``) is exported to a temp dir, so the
   figures belong to one commit and nothing written after the batch arrived;
2. the batch is scored there with benchmarks/corpus_score.py (per file, and STAR
   accuracy, the naive reference, filler P/R, punctuated and caption text);
3. the files are copied into tests/corpus/star (metadata lines kept), the per-file
   figures into tests/corpus/blind_scores/, a row is appended to the blind-figures table
   of tests/corpus/star/README.md, and those paths alone are committed.

Usage: ingest_batches.py [--incoming DIR] [--dry-run]
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "star"
SCORES = ROOT / "tests" / "corpus" / "blind_scores"
README = CORPUS / "README.md"
TABLE_END = "<!-- blind-table-end -->"
LOCK = Path(tempfile.gettempdir()) / "rehearse-star-git.lock"


def git(*args: str, **kw) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True, **kw).stdout


def pending(incoming: Path):
    for wdir in sorted(p for p in incoming.glob("w*") if p.is_dir()):
        for bdir in sorted(p for p in wdir.glob("batch*") if p.is_dir() and not p.name.endswith(".tmp")):
            m = re.fullmatch(r"batch(\d+)", bdir.name)
            if not m:
                continue
            prefix = f"{wdir.name}_b{int(m.group(1)):02d}"
            if any(CORPUS.glob(f"{prefix}_*.txt")) or (SCORES / f"{prefix}.txt").exists():
                continue
            files = sorted(bdir.glob("*.txt"))
            if files:
                yield prefix, files


def score_blind(prefix: str, files: list[Path]) -> tuple[dict, str, str, list[str]]:
    # the last commit that changed the analysis code (the batch commits in between only add answers)
    commit = git("log", "-1", "--format=%h", "HEAD", "--", "analysis").strip()
    with tempfile.TemporaryDirectory(prefix="blind-") as tmp:
        tmp = Path(tmp)
        code = tmp / "code"
        code.mkdir()
        archive = subprocess.run(
            ["git", "archive", "HEAD", "analysis", "benchmarks"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        batch = tmp / "batch"
        batch.mkdir()
        bad = []
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from corpus_score import CorpusFormatError, parse  # type: ignore

        for f in files:
            dest = batch / f"{prefix}_{f.name}"
            shutil.copyfile(f, dest)
            try:
                parse(dest)
            except (CorpusFormatError, UnicodeDecodeError) as exc:
                bad.append(f"{f.name}: {exc}")
                dest.unlink()
        proc = subprocess.run(
            [
                sys.executable,
                str(code / "benchmarks" / "corpus_score.py"),
                str(batch),
                "--per-file",
                "--by",
                "punct,style",
                "--json",
            ],
            cwd=code,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"scoring {prefix} failed:\n{proc.stdout}\n{proc.stderr}")
        out = proc.stdout
        summary = json.loads([ln for ln in out.splitlines() if ln.startswith("{")][-1])
        # the same batch fed as caption text without any punctuation (how real captions look)
        bare = subprocess.run(
            [sys.executable, str(code / "benchmarks" / "corpus_score.py"), str(batch), "--bare", "--json"],
            cwd=code,
            capture_output=True,
            text=True,
        )
        if bare.returncode:
            raise SystemExit(f"scoring {prefix} as bare caption failed:\n{bare.stdout}\n{bare.stderr}")
        bare_summary = json.loads([ln for ln in bare.stdout.splitlines() if ln.startswith("{")][-1])
        summary["bare"] = f"{bare_summary['star_accuracy']:.3f} / {bare_summary['naive']:.3f}"
        by_punct = {}
        for ln in out.splitlines():
            m = re.match(r"(punct=(?:yes|no))\s+(\d+)\s+\d+\s+star (\S+)\s+naive (\S+)", ln)
            if m:
                by_punct[m.group(1)] = f"{m.group(3)} / {m.group(4)} ({m.group(2)})"
        summary["by_punct"] = by_punct
        out += "\n# the same batch as bare caption text (--bare)\n" + bare.stdout
        return summary, out, commit, bad


def add_row(prefix: str, summary: dict, commit: str, bad: list[str]) -> None:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    bp = summary["by_punct"]
    row = (
        f"| {prefix} | {summary['files']} | {when} | {commit} | {summary['star_accuracy']:.3f} | "
        f"{summary['naive']:.3f} | {summary['filler_precision']:.3f} | {summary['filler_recall']:.3f} | "
        f"{summary.get('brief_precision', float('nan')):.3f} / {summary.get('brief_recall', float('nan')):.3f} | "
        f"{bp.get('punct=yes', '-')} | {bp.get('punct=no', '-')} | {summary.get('bare', '-')} |"
        + (f" excluded: {'; '.join(bad)}" if bad else "")
    )
    text = README.read_text(encoding="utf-8")
    text = text.replace(TABLE_END, row + "\n" + TABLE_END)
    README.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incoming", type=Path, default=Path("/work/corpus_incoming"))
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for prefix, files in pending(args.incoming):
            summary, out, commit, bad = score_blind(prefix, files)
            print(f"{prefix}: {summary}  (commit {commit})")
            if bad:
                print("  excluded:", bad)
            if args.dry_run:
                print(out)
                continue
            SCORES.mkdir(parents=True, exist_ok=True)
            (SCORES / f"{prefix}.txt").write_text(
                f"# blind score of {prefix} at commit {commit}\n{out}", encoding="utf-8"
            )
            added = []
            for f in files:
                dest = CORPUS / f"{prefix}_{f.name}"
                if any(b.startswith(f.name + ":") for b in bad):
                    continue
                shutil.copyfile(f, dest)
                added.append(str(dest.relative_to(ROOT)))
            add_row(prefix, summary, commit, bad)
            paths = added + [str((SCORES / f"{prefix}.txt").relative_to(ROOT)), str(README.relative_to(ROOT))]
            git("add", "--", *paths)
            git(
                "commit",
                "-q",
                "-m",
                f"corpus: blind batch {prefix} ({summary['files']} answers) scored at {commit}: "
                f"STAR {summary['star_accuracy']:.3f} (naive {summary['naive']:.3f}), fillers "
                f"P {summary['filler_precision']:.3f} R {summary['filler_recall']:.3f}",
                "--",
                *paths,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
