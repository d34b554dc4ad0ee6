"""Exporting takes: Markdown report, JSON bundle, CSV rows, a copy of the audio.

Reads report dicts (the report.json contract of DESIGN.md) defensively: a field an older
or newer report lacks is left out, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from analysis.timefmt import mmss
from analysis.transcript import STAR_LABELS, Transcript
from recorder.errors import LibraryError
from recorder.takes.layout import fsync_dir

CSV_FIELDS = (
    "id",
    "created",
    "question",
    "competency",
    "duration_s",
    "words",
    "wpm",
    "pace_verdict",
    "fillers",
    "fillers_per_minute",
    "pauses",
    "long_pauses",
    "longest_pause_s",
    "situation_share",
    "task_share",
    "action_share",
    "result_share",
    "star_method",
    "star_missing",
    "model",
    "recovered",
    "overflows",
)


_clock = partial(mmss, missing="-")  # (rounded down, as the app and the tips count)


def _g(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, Mapping):
            return None
        d = d.get(k)
    return d


def _fmt(v: Any, spec: str = ".0f", unit: str = "") -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "-"
    return f"{v:{spec}}{unit}"


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(take: Any, report: Mapping[str, Any] | None, transcript: Transcript | None) -> str:
    created = take.created.replace("T", " ")[:16] if take.created else "-"
    lines = [f"# {_md_escape(take.question or 'Practice answer')}", ""]
    facts = [f"**Recorded** {created}", f"**Length** {_clock(take.duration)}"]
    if take.competency:
        facts.append(f"**Competency** {_md_escape(take.competency)}")
    if take.model:
        facts.append(f"**Model** {take.model}")
    facts.append(f"**Take** `{take.id}`")
    lines += [" · ".join(facts), ""]
    if take.recovered:
        lines += ["> This take was recovered after Rehearse stopped unexpectedly.", ""]
    if not report:
        lines += ["_No report yet: run `rehearse rescore " + take.id + " --retranscribe`._", ""]
    else:
        pace, fillers, pauses = report.get("pace"), report.get("fillers"), report.get("pauses")
        lines += ["## Summary", "", "| Measure | Value |", "|---|---|"]
        band = _g(pace, "band")
        band_s = f" (target {band[0]}–{band[1]})" if isinstance(band, list) and len(band) == 2 else ""
        verdict = _g(pace, "verdict")
        lines.append(f"| Pace | {_fmt(_g(pace, 'wpm'))} words/min{' — ' + verdict if verdict else ''}{band_s} |")
        lines.append(f"| Words | {_fmt(report.get('words'), 'd') if isinstance(report.get('words'), int) else '-'} |")
        lines.append(
            f"| Fillers | {_fmt(_g(fillers, 'count'), '.0f')} ({_fmt(_g(fillers, 'per_minute'), '.1f')} per minute) |"
        )
        if isinstance(pauses, Mapping):
            lines.append(
                f"| Pauses | {_fmt(pauses.get('count'), '.0f')} (long: {_fmt(pauses.get('long_count'), '.0f')}, "
                f"longest {_fmt(pauses.get('longest'), '.1f', ' s')}) |"
            )
        length = _g(report, "content", "length")
        if isinstance(length, Mapping) and length.get("verdict"):
            spoken = length.get("seconds")
            speaking = (
                f" (speaking {_clock(spoken)})"
                if isinstance(spoken, (int, float)) and _clock(spoken) != _clock(take.duration)
                else ""
            )
            lines.append(f"| Length | {_clock(take.duration)}{speaking} — {length['verdict']} |")
        lines.append("")
        star = report.get("star")
        sections = _g(star, "sections") or []
        if sections:
            targets = _g(star, "targets") or {}
            lines += [
                f"## STAR timing (by {_g(star, 'method') or 'analysis'})",
                "",
                "| Section | From | Time | Share | Target | Words | Pace | Fillers |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for s in sections:
                if not isinstance(s, Mapping):
                    continue
                hook = bool(s.get("hook"))  # the Result told first, before the story
                name = "Hook (Result first)" if hook else str(s.get("label", "?")).capitalize()
                target = None if hook else targets.get(s.get("label"))
                lines.append(
                    f"| {name} | {_clock(s.get('start'))} | "
                    f"{_fmt(s.get('seconds'), '.0f', ' s')} | {_fmt((s.get('share') or 0) * 100, '.0f', '%')} | "
                    f"{_fmt(target * 100, '.0f', '%') if target else '-'} | "
                    f"{_fmt(s.get('words'), '.0f')} | {_fmt(s.get('wpm'), '.0f')} | {_fmt(s.get('fillers'), '.0f')} |"
                )
            missing = _g(star, "missing") or []
            if missing:
                lines += ["", "Missing: " + ", ".join(str(m).capitalize() for m in missing)]
            lines.append("")
        tips = report.get("tips") or []
        if tips:
            lines += ["## Tips", ""]
            for i, tip in enumerate(tips, 1):
                if isinstance(tip, Mapping):
                    at = f" (at {_clock(tip['at'])})" if isinstance(tip.get("at"), (int, float)) else ""
                    lines.append(f"{i}. {_md_escape(tip.get('text', ''))}{at}")
                else:
                    lines.append(f"{i}. {_md_escape(tip)}")
            lines.append("")
        items = [i for i in (_g(fillers, "items") or []) if isinstance(i, Mapping)]
        said: dict[str, list[Any]] = {}
        repeats: list[Any] = []
        for i in items:
            if i.get("kind") == "repetition":  # a restart ("I I"), not a filler word
                repeats.append(i)
            else:
                said.setdefault(str(i.get("text", "?")), []).append(i)
        if said or repeats:
            lines += ["## Fillers", ""]
            for text, found in sorted(said.items(), key=lambda kv: -len(kv[1])):
                times = ", ".join(_clock(i.get("start")) for i in found)
                lines.append(f"- “{_md_escape(text)}” × {len(found)} (at {times})")
            if repeats:
                lines += [
                    "",
                    "Repeated or restarted: "
                    + ", ".join(f"“{_md_escape(i.get('text', '?'))} …” at {_clock(i.get('start'))}" for i in repeats),
                ]
            lines.append("")
    if transcript is not None and transcript.words:
        lines += ["## Transcript", ""]
        markers = list(transcript.markers)
        para: list[str] = []
        for w in transcript.words:
            while markers and markers[0].time <= w.start:
                m = markers.pop(0)
                if para:
                    lines += ["".join(para).strip(), ""]
                    para = []
                lines.append(f"**[{m.label.capitalize()} — {_clock(m.time)}]**")
            para.append(w.text if w.text.startswith(" ") else " " + w.text)
        if para:
            lines.append("".join(para).strip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_json(take: Any, report: Mapping[str, Any] | None, transcript: Transcript | None) -> str:
    data = {
        "id": take.id,
        "question": take.question,
        "competency": take.competency,
        "created": take.created,
        "duration": take.duration,
        "samplerate": take.samplerate,
        "device": take.device,
        "model": take.model,
        "overflows": take.overflows,
        "recovered": take.recovered,
        "markers": [m.to_dict() for m in take.markers],
        "transcript": transcript.to_dict() if transcript is not None else None,
        "report": report,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def csv_row(take: Any, report: Mapping[str, Any] | None) -> dict[str, Any]:
    report = report or {}
    shares: dict[Any, Any] = {}
    for s in _g(report, "star", "sections") or []:
        if isinstance(s, Mapping):  # an opening result hook adds to the Result's share
            share, label = s.get("share"), s.get("label")
            prev = shares.get(label)
            if isinstance(prev, (int, float)) and isinstance(share, (int, float)):
                shares[label] = prev + share
            elif prev is None:
                shares[label] = share

    def r(v: Any, nd: int = 2) -> Any:
        return round(v, nd) if isinstance(v, float) else ("" if v is None else v)

    row = {
        "id": take.id,
        "created": take.created,
        "question": take.question or "",
        "competency": take.competency or "",
        "duration_s": r(take.duration),
        "words": r(report.get("words")),
        "wpm": r(_g(report, "pace", "wpm"), 1),
        "pace_verdict": r(_g(report, "pace", "verdict")),
        "fillers": r(_g(report, "fillers", "count")),
        "fillers_per_minute": r(_g(report, "fillers", "per_minute")),
        "pauses": r(_g(report, "pauses", "count")),
        "long_pauses": r(_g(report, "pauses", "long_count")),
        "longest_pause_s": r(_g(report, "pauses", "longest")),
        "star_method": r(_g(report, "star", "method")),
        "star_missing": " ".join(_g(report, "star", "missing") or []),
        "model": take.model or "",
        "recovered": "yes" if take.recovered else "no",
        "overflows": take.overflows,
    }
    for label in STAR_LABELS:
        row[f"{label}_share"] = r(shares.get(label), 3)
    return row


def to_csv(rows: Iterable[tuple[Any, Mapping[str, Any] | None]], header: bool = True) -> str:
    buf = io.StringIO()
    w: csv.DictWriter[str] = csv.DictWriter(buf, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    if header:
        w.writeheader()
    for take, report in rows:
        w.writerow(csv_row(take, report))
    return buf.getvalue()


def write_new(dest: Path, text: str) -> Path:
    """Write a new file (0600); never replace an existing one. Atomic: the text goes to a
    temp file beside ``dest`` that is renamed into place only when complete, so a kill or
    a full disk never leaves a partial file there (and the retry is not refused)."""

    def fill(tmp: Path, fd: int) -> None:
        with os.fdopen(os.dup(fd), "w", encoding="utf-8") as fh:
            fh.write(text)

    return publish_new(dest, fill)


def export_audio(take: Any, dest: Path, wav: bool = False) -> Path:
    dest = dest.expanduser()
    if dest.is_dir():
        dest = dest / f"{take.id}.{'wav' if wav else 'flac'}"
    if not take.audio_path.is_file():
        raise LibraryError(f"take {take.id} has no audio ({take.audio_path} is missing)")

    def fill(tmp: Path, fd: int) -> None:
        if wav:
            import soundfile as sf

            data, rate = sf.read(str(take.audio_path), dtype="int16")
            sf.write(str(tmp), data, rate, format="WAV", subtype="PCM_16")
        else:
            shutil.copyfile(take.audio_path, tmp)

    return publish_new(dest, fill)


_TEMP_SUFFIX = ".rehearse-export.tmp"


def _exists_error(dest: Path) -> LibraryError:
    return LibraryError(f"{dest}: already exists; choose another file name (nothing was overwritten)")


def _write_error(dest: Path, exc: BaseException) -> LibraryError:
    import errno

    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return LibraryError(f"{dest}: the disk is full; nothing was written - free some space and try again")
        return LibraryError(f"{dest}: cannot write ({exc.strerror or exc})")
    try:  # libsndfile's errors do not say "disk full"
        st = os.statvfs(dest.parent)
        if st.f_bavail * st.f_frsize < 1 << 20:
            return LibraryError(f"{dest}: the disk is full; nothing was written - free some space and try again")
    except OSError:
        pass
    return LibraryError(f"{dest}: cannot write ({exc})")


def _remove_stale_temps(dest: Path) -> None:
    """Temp files an earlier export to ``dest`` left when it was killed (its pid is gone)."""
    prefix = f".{dest.name}."
    try:
        entries = list(os.scandir(dest.parent))
    except OSError:
        return
    for e in entries:
        if not (e.name.startswith(prefix) and e.name.endswith(_TEMP_SUFFIX)):
            continue
        pid = e.name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # that export is still running
        except ProcessLookupError:
            pass
        except OSError:
            continue
        try:
            os.unlink(e.path)
        except OSError:
            pass


def publish_new(dest: Path, fill) -> Path:
    """Create ``dest`` (mode 0600) from ``fill(tmp_path, fd)``, all or nothing, never
    replacing an existing file: write a temp file beside it, fsync, then hard-link it into
    place (link() fails if ``dest`` exists, so there is no race either)."""
    import tempfile

    dest = dest.expanduser()
    if os.path.lexists(dest):
        raise _exists_error(dest)
    _remove_stale_temps(dest)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=dest.parent)
    except OSError as exc:
        raise _write_error(dest, exc) from None
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, 0o600)
            fill(tmp, fd)
            os.chmod(tmp, 0o600)  # fill() may have re-created it
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        except Exception as exc:
            raise _write_error(dest, exc) from None
        try:
            os.link(tmp, dest)
        except FileExistsError:
            raise _exists_error(dest) from None
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(dest):
                raise _exists_error(dest) from None
            try:
                os.rename(tmp, dest)
            except OSError as exc:
                raise _write_error(dest, exc) from None
        fsync_dir(dest.parent)
    finally:
        os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
    return dest
