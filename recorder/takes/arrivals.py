"""Takes that arrive or leave as files: an imported recording, the bundled example take,
and exports (Markdown, JSON, CSV, audio; written by recorder.export)."""

# pyright: reportAttributeAccessIssue=false
# (a mixin of recorder.takes.store.Library: the attributes it uses are the Library's own)
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from analysis.errors import RehearseError
from analysis.transcript import Transcript, atomic_write_text
from recorder.errors import LibraryError
from recorder.takes.convert import _flac_rate, _import_to_flac
from recorder.takes.layout import (
    AUDIO,
    FILE_MODE,
    REPORT,
    SAMPLE_MARK,
    TRANSCRIPT,
    _first,
    _parse_time,
    bundled_sample_dir,
)
from recorder.takes.lock import _folder_busy
from recorder.takes.records import Take, _read_json, _write_json, format_guard, summarize_report


class _Arrivals:
    """Library's part for imports, the example take and exports (mixed into Library)."""

    # ---- import / export ----------------------------------------------------------------
    def import_audio(
        self, path: str | os.PathLike[str], question: str | None = None, competency: str | None = None
    ) -> Take:
        """Import an audio file (any format libsndfile or FFmpeg reads) as a new take:
        converted to FLAC, mixed down to mono, at the file's own sample rate."""
        src = Path(path).expanduser()
        if not src.is_file():
            raise LibraryError(f"{src}: no such audio file")
        take_id, folder = self.new_take(question, competency)
        try:
            with _folder_busy(folder):  # a start meanwhile leaves its temp file alone
                rate, frames = _import_to_flac(src, folder / AUDIO)
        except BaseException:
            self.discard(take_id)
            raise
        with self.locked():
            self._update_meta(folder, source=src.name, samplerate=rate, device=None)
            take = self._finalize(folder, recovered=False)
        if take is None:
            raise LibraryError(f"{src}: the file holds no audio (0 samples)")
        return take

    def export(self, take_id: str, fmt: str, dest: str | os.PathLike[str] | None = None) -> str | Path:
        """Export a take: "md" (Markdown report), "json" (metadata + transcript + report),
        "csv" (a header and one row), "audio" (a copy of audio.flac; "wav" converts).
        Without ``dest`` returns the text (md/json/csv); with it writes the file (never
        replacing an existing one) and returns its path."""
        from recorder import export as ex

        take = self.get(take_id)
        fmt = fmt.lower()
        if fmt in ("audio", "flac", "wav"):
            if dest is None:
                raise LibraryError("exporting audio needs an output file (-o FILE)")
            return ex.export_audio(take, Path(dest), wav=(fmt == "wav" or str(dest).lower().endswith(".wav")))
        report = self.load_report(take.id)
        try:
            transcript = self.load_transcript(take.id)
        except RehearseError:
            transcript = None
        if fmt in ("md", "markdown"):
            text = format_guard(take.id, take.report_path, lambda: ex.to_markdown(take, report, transcript))
        elif fmt == "json":
            text = format_guard(take.id, take.report_path, lambda: ex.to_json(take, report, transcript))
        elif fmt == "csv":
            text = format_guard(take.id, take.report_path, lambda: ex.to_csv([(take, report)]))
        else:
            raise LibraryError(f"unknown export format {fmt!r}; use md, json, csv or audio")
        if dest is None:
            return text
        return ex.write_new(Path(dest), text)

    # ---- the bundled sample -------------------------------------------------------------
    def ensure_sample(self, sample_dir: str | os.PathLike[str] | None = None) -> Take | None:
        """On first run, copy the bundled example take into the library (once: if the user
        deletes it, it stays deleted). Returns the new take, or None. (Scored, when it
        comes without a report, by recorder.workflow.Workflow.install_sample.)"""
        mark = self.root / SAMPLE_MARK
        if mark.exists() or self.read_only():
            return None
        src = Path(sample_dir) if sample_dir is not None else bundled_sample_dir()
        audio = _first(src, "*.flac") if src is not None and src.is_dir() else None
        if src is None or audio is None:
            return None
        stem = audio.name[: -len(".flac")]
        transcript_src = src / f"{stem}.transcript.json"
        report_src = src / f"{stem}.report.json"
        meta_src = src / f"{stem}.take.json"
        with self.locked():
            if mark.exists():
                return None
            extra: dict[str, Any] = {}
            if meta_src.is_file():
                with contextlib.suppress(OSError, ValueError):
                    loaded = _read_json(meta_src)
                    extra = loaded if isinstance(loaded, dict) else {}
            question = extra.get("question") or "Tell me about a time you solved a difficult problem. (example take)"
            take_id, folder = self.new_take(question, extra.get("competency"))
            try:
                shutil.copyfile(audio, folder / AUDIO)
                os.chmod(folder / AUDIO, FILE_MODE)
                rate = _flac_rate(folder / AUDIO)
                changes: dict[str, Any] = {"sample": True, "source": audio.name, "samplerate": rate}
                if _parse_time(extra.get("created")):
                    changes["created"] = extra["created"]  # sorts below the user's own takes
                if transcript_src.is_file():
                    t = Transcript.load(transcript_src, require_words=False)
                    t.save(folder / TRANSCRIPT)
                    changes["model"] = t.model
                    if t.markers:
                        changes["markers"] = [m.to_dict() for m in t.markers]
                if report_src.is_file():
                    report = _read_json(report_src)
                    _write_json(folder / REPORT, report, compact=True)
                    changes["summary"] = summarize_report(report)
                self._update_meta(folder, **changes)
                take = self._finalize(folder, recovered=False)
            except (OSError, ValueError) as exc:
                self.discard(take_id)
                self._warn(f"could not install the example take from {src}: {exc}")
                return None
            except Exception:
                self.discard(take_id)
                raise
            atomic_write_text(mark, (take.id if take else "") + "\n", mode=FILE_MODE)
            return take
