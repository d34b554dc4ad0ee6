"""The use cases: what the Textual workers and the command-line commands both call.

record -> finish -> transcribe -> score -> store, written once::

    wf = Workflow(library, transcribe=..., analyze=...)
    take_id, rec = wf.start_recording(question, competency, make_recorder)
    take = wf.finish_recording(take_id, rec)          # the take is on disk from here
    transcript, report = wf.transcribe_and_score(take.id)

and the other changes of a take: re-score one or all, re-transcribe, import a file,
move the STAR markers, install the bundled example take. Headless (no printing, no
Textual): each front end shows the progress and the errors in its own way.

The trust rules live here and in the take store: a take that holds audio is never
thrown away (a take that cannot be saved stays in ``.in-progress/`` and the message says
where); a take that cannot be transcribed stays saved (:class:`TranscriptionFailed`
says which); every file is written atomically under the library lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from analysis.errors import RehearseError
from analysis.transcript import STAR_LABELS, Marker, Transcript

if TYPE_CHECKING:
    from recorder.takes import Library, Take, TakeSummary

Progress = Callable[[float, float], None]
"""(seconds of audio done, seconds in all) while transcribing."""
DownloadProgress = Callable[[int, int], None]
"""(bytes done, bytes in all) while a speech model downloads."""


class Transcriber(Protocol):
    """Audio file -> Transcript with the configured model (``model`` overrides it)."""

    def __call__(
        self,
        audio: Path,
        model: str | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> Transcript: ...


class Analyzer(Protocol):
    """Transcript -> report dict (the report.json contract)."""

    def __call__(self, transcript: Transcript) -> dict: ...


class TakeRecorder(Protocol):
    """What the workflow needs of a recorder (recorder.capture.Recorder, or a test's)."""

    markers: Any

    def start(self) -> Any: ...

    def stop(self) -> Any: ...

    def cancel(self) -> None: ...

    def release(self) -> None: ...


R = TypeVar("R", bound=TakeRecorder)


class LiveWords(Protocol):
    """A live transcriber fed while recording: ``finish()`` decodes what is left."""

    def finish(self) -> Transcript: ...


class TranscriptionFailed(RehearseError):
    """The take is saved, but transcribing it failed. ``take_id``: the take; ``cause``:
    the transcriber's own error (its text is this error's text)."""

    def __init__(self, take_id: str, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.take_id = take_id
        self.cause = cause


def default_analyzer(settings: Any = None) -> Analyzer:
    """``analysis.analyze`` with ``settings`` (AnalysisSettings; None: the defaults)."""

    def analyze(transcript: Transcript) -> dict:
        from analysis import analyze as run

        report = run(transcript, settings)
        return report.to_dict()

    return analyze


def default_transcriber(options: Any = None) -> Transcriber:
    """``analysis.speech.batch.transcribe`` with ``options`` (TranscribeOptions)."""

    def transcribe(
        audio: Path,
        model: str | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> Transcript:
        import dataclasses

        from analysis.speech.batch import transcribe as run
        from analysis.speech.options import TranscribeOptions

        opts = options or TranscribeOptions()
        if model:
            opts = dataclasses.replace(opts, model=model)
        return run(audio, opts, progress=progress, download_progress=download_progress)

    return transcribe


def move_boundary(
    markers: Sequence[Marker], sections: Iterable[dict], label: str, time: float
) -> tuple[list[Marker], list[str]]:
    """New marker list where section ``label`` starts at ``time``.

    Without markers, the current sections are turned into markers first, so moving one
    boundary keeps the others where they are. Markers that would now be out of S-T-A-R
    order are dropped (returned as notes)."""
    current = {m.label: m.time for m in markers}
    if not current:
        current = {s["label"]: float(s["start"]) for s in sections if not s.get("hook")}
    current[label] = float(time)
    order = STAR_LABELS.index(label)
    dropped: list[str] = []
    for other, t in list(current.items()):
        k = STAR_LABELS.index(other)
        if (k < order and t >= time) or (k > order and t <= time):
            del current[other]
            dropped.append(other)
    return [Marker(lbl, t) for lbl, t in sorted(current.items(), key=lambda kv: kv[1])], dropped


class Workflow:
    """The use cases on one take library. ``transcribe`` and ``analyze`` are called
    each time (the app's settings can change between calls)."""

    def __init__(
        self, library: Library, *, transcribe: Transcriber | None = None, analyze: Analyzer | None = None
    ) -> None:
        self.library = library
        self._transcribe = transcribe or default_transcriber()
        self._analyze = analyze or default_analyzer()

    # ---- recording ----------------------------------------------------------------------
    def start_recording(
        self, question: str | None, competency: str | None, make_recorder: Callable[[Path], R]
    ) -> tuple[str, R]:
        """Reserve a take (its question saved at once) and start recording into it.
        A recorder that cannot start leaves nothing behind."""
        lib = self.library
        take_id, folder = lib.new_take(question, competency)
        try:
            recorder = make_recorder(folder)
            recorder.start()
        except BaseException:
            lib.discard(take_id)
            raise
        return take_id, recorder

    def cancel_recording(self, take_id: str, recorder: TakeRecorder) -> None:
        """The user threw the recording away: stop and delete it."""
        recorder.cancel()
        self.library.discard(take_id)

    def finish_recording(self, take_id: str, recorder: TakeRecorder, *, discard_empty: bool = False) -> Take:
        """Stop the recorder and save the take (audio.flac + take.json).

        Never throws a recording away: a take with no audio the library removes itself;
        any other failure (e.g. a full disk) leaves it in ``.in-progress/``, recovered at
        the next start, and the error says where it is. ``discard_empty`` (the command
        line): a recording that never got audio is discarded before saving and the
        recorder's own error, if any, is raised."""
        from recorder.errors import RecordingError

        lib = self.library
        recorder.stop()
        if discard_empty and getattr(recorder, "frames_written", None) == 0:
            recorder.release()
            lib.discard(take_id)
            error = getattr(recorder, "error", None)
            if error is not None:
                raise error
            raise RecordingError("nothing was recorded (stopped before any audio arrived); nothing saved")
        try:
            return lib.finish_take(take_id, recorder=recorder)
        except BaseException as exc:
            recorder.release()
            if isinstance(exc, RehearseError) or not isinstance(exc, Exception):
                raise  # KeptTakeError among them: it says where the audio is kept
            folder = lib.in_progress_dir / take_id
            raise RehearseError(
                f"the take could not be saved ({type(exc).__name__}: {exc}); its audio is kept in {folder} "
                "and is recovered as a take when Rehearse starts again"
            ) from exc

    # ---- transcribing and scoring -------------------------------------------------------
    def transcribe_take(
        self,
        take_id: str,
        *,
        model: str | None = None,
        markers: Sequence[Marker] | None = None,
        live: LiveWords | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> Transcript:
        """Transcribe the take's audio (or finish the live transcriber that heard it) and
        save the transcript, also one without words, carrying ``markers`` (default: the
        take's own STAR markers). A failing transcriber raises :class:`TranscriptionFailed`;
        the take stays saved."""
        lib = self.library
        take = lib.get(take_id)
        if live is None and not take.audio_path.is_file():
            raise RehearseError(f"take {take.id} has no audio ({take.audio_path} is missing)")
        try:
            if live is not None:
                transcript = live.finish()  # only the tail is left to decode
            else:
                transcript = self._transcribe(take.audio_path, model, progress, download_progress)
        except Exception as exc:
            raise TranscriptionFailed(take.id, exc) from exc
        markers = take.markers if markers is None else tuple(markers)
        if markers:
            transcript = transcript.with_markers(markers)
        lib.save_transcript(take.id, transcript)
        return transcript

    def score(self, take_id: str, transcript: Transcript | None = None) -> dict:
        """Analyse the take and save its report; returns the report. Without
        ``transcript``: the stored one, with the take's markers when it carries none."""
        lib = self.library
        if transcript is None:
            take = lib.get(take_id)
            transcript = lib.load_transcript(take.id)
            if transcript is None:
                raise _no_transcript(take.id)
            if take.markers and not transcript.markers:
                transcript = transcript.with_markers(take.markers)
        report = self._analyze(transcript)
        lib.save_report(take_id, report)
        return report

    def transcribe_and_score(
        self,
        take_id: str,
        *,
        model: str | None = None,
        live: LiveWords | None = None,
        markers: Sequence[Marker] | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> tuple[Transcript, dict | None]:
        """Transcribe, save, score, save. The report is None when the take holds no speech."""
        transcript = self.transcribe_take(
            take_id, model=model, markers=markers, live=live, progress=progress, download_progress=download_progress
        )
        if not transcript.words:
            return transcript, None
        return transcript, self.score(take_id, transcript)

    def retranscribe(
        self,
        take_id: str,
        model: str | None = None,
        *,
        markers: Sequence[Marker] | None = None,
        progress: Progress | None = None,
        download_progress: DownloadProgress | None = None,
    ) -> tuple[Transcript, dict]:
        """Transcribe the take again (e.g. with another model) and re-score it, carrying
        ``markers`` (default: the take's own). When the model hears no speech, the old
        transcript and report are kept."""
        lib = self.library
        take = lib.get(take_id)
        transcript = self._transcribe(take.audio_path, model, progress, download_progress)
        markers = take.markers if markers is None else tuple(markers)
        if markers:
            transcript = transcript.with_markers(markers)
        if not transcript.words:
            raise RehearseError(f"{model} found no speech in this take; the old transcript is kept")
        return transcript, self.set_transcript(take.id, transcript)

    def set_transcript(self, take_id: str, transcript: Transcript) -> dict:
        """Save the transcript (e.g. with moved STAR markers) and its fresh report; return the report."""
        self.library.save_transcript(take_id, transcript)
        return self.score(take_id, transcript)

    def rescore_all(
        self,
        takes: Sequence[TakeSummary] | None = None,
        *,
        retranscribe: bool = False,
        model: str | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        on_take: Callable[[int, int, str], None] | None = None,
    ) -> tuple[list[str], list[str], int]:
        """Re-score every take (``takes``: as listed; default: the whole library), after
        transcribing it again when ``retranscribe``. One damaged take never stops the
        others. ``progress(i, n, id)``: before each take and (n, n, "") at the end;
        ``on_take(i, n, id)``: before each take that is scored (i from 1).
        Returns (ids done, one-line problems, how many held no speech)."""
        from recorder.errors import LibraryBusyError
        from recorder.takes.layout import TRANSCRIPT
        from recorder.takes.records import _reason

        lib = self.library
        takes = lib.list() if takes is None else list(takes)
        done: list[str] = []
        problems: list[str] = []
        empty = 0
        # Re-scoring is quick: the library lock once for the whole run (never a wait per
        # take). Re-transcribing takes minutes: locked per take, so the app can still save
        # a recording meanwhile.
        hold = contextlib.nullcontext() if retranscribe else lib.locked("re-score every take")
        with hold:
            for i, s in enumerate(takes):
                if progress:
                    progress(i, len(takes), s.id)
                if not retranscribe and not (lib.root / s.id / TRANSCRIPT).is_file():
                    problems.append(f"{s.id}: no transcript (use `rehearse rescore {s.id} --retranscribe`)")
                    continue
                if on_take:
                    on_take(i + 1, len(takes), s.id)
                try:
                    if retranscribe:
                        report = self.transcribe_and_score(s.id, model=model)[1]
                    else:
                        report = self.score(s.id)
                except LibraryBusyError:
                    raise
                except RehearseError as exc:
                    problems.append(f"{s.id}: {exc}")
                    continue
                except Exception as exc:  # noqa: BLE001 - one damaged take never stops the others
                    problems.append(f"{s.id}: damaged ({_reason(exc)})")
                    continue
                if report is None:
                    empty += 1
                else:
                    done.append(s.id)
        if progress:
            progress(len(takes), len(takes), "")
        return done, problems, empty

    # ---- other ways a take arrives ------------------------------------------------------
    def import_file(self, path: str | Path, question: str | None = None, competency: str | None = None) -> Take:
        """Store an audio file as a new take (mono FLAC at its own rate); transcribe it
        next with :meth:`transcribe_and_score`."""
        return self.library.import_audio(path, question, competency)

    def install_sample(self, sample_dir: str | Path | None = None) -> Take | None:
        """On first run, add the bundled example take (once: deleted, it stays deleted),
        scored if it came without a report. Returns the new take, or None."""
        lib = self.library
        take = lib.ensure_sample(sample_dir)
        if take is not None and not take.has_report and take.has_transcript:
            with contextlib.suppress(Exception):
                self.score(take.id)
                take = lib.get(take.id)
        return take


def _no_transcript(take_id: str) -> RehearseError:
    from recorder.errors import LibraryError

    return LibraryError(
        f"take {take_id} has no transcript yet; transcribe it with `rehearse rescore {take_id} --retranscribe`"
    )
