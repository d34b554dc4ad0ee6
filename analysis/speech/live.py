"""Transcribing while the person speaks: pieces decoded in a background thread as they are
cut, so at stop only the tail is left (often not even that: a speculative decode of the
unfinished piece is reused)."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from analysis.errors import RehearseError
from analysis.speech.audio import SAMPLE_RATE, as_mono16k, mono16k_resampler, resample_block
from analysis.speech.batch import build_transcript
from analysis.speech.decode import PieceResult, decode_piece
from analysis.speech.errors import TranscribeError
from analysis.speech.load import LoadedModel, load_model
from analysis.speech.options import TranscribeOptions
from analysis.speech.pieces import FRAME, PauseCutter, SpeechRegions, frame_db, piece_regions
from analysis.transcript import Transcript, Word

if TYPE_CHECKING:  # pragma: no cover
    import av
    import numpy as np
    from numpy.typing import NDArray


class LiveTranscriber:
    """Transcribe while the person speaks.

    ``feed(block, rate)`` (any rate, mono or (n, channels)) from the recorder's writer
    thread; a background thread decodes each finished piece (cut at pauses by the same
    causal rule as ``transcribe``), so ``.words`` grows live and ``finish()`` only has
    the tail piece left. ``finish()`` returns the same Transcript ``transcribe`` gives
    for the same audio."""

    def __init__(self, options: TranscribeOptions | None = None, *, model: LoadedModel | None = None) -> None:
        import numpy as np

        self.options = options or TranscribeOptions()
        # the model loads in the background thread: constructing this never blocks (the
        # TUI creates it when recording starts); a load error is raised by finish()
        self._loaded = model
        self._np = np
        self._chunks: list[NDArray[np.float32]] = []  # 16 kHz mono since the last cut
        self._chunk_start = 0  # sample index of _chunks[0][0]
        self._heard: list[np.ndarray] = []  # the whole take, for the hesitation hints at finish()
        self._n = 0  # total samples received
        self._pending_frame = np.zeros(0, dtype=np.float32)
        self._cutter = PauseCutter(self.options.piece_min_s, self.options.piece_max_s, self.options.pause_s)
        self._frames_seen = 0
        self._queue: list[tuple[int, NDArray[np.float32], SpeechRegions | None]] = []
        self._results: list[PieceResult] = []
        self._words: list[Word] = []
        self._cv = threading.Condition()
        self._closed = False
        self._error: BaseException | None = None
        self._resampler: av.AudioResampler | None = None
        self._rate: int | None = None
        self._busy = False
        self._closed_by_error = False
        # Speculation: when the speaker pauses (but the piece is still too short to cut),
        # the background thread decodes the unfinished piece as it stands. If nothing but
        # silence follows before stop, the tail piece has the very same speech regions, so
        # its decode is reused and stop -> report needs no decoding at all.
        self._spec_job: tuple[int, NDArray[np.float32]] | None = None
        self._spec: tuple[int, SpeechRegions, PieceResult] | None = None
        self._spec_quiet_f = self._cutter.pause_f + 10  # 0.7 s: past the 0.4-s VAD padding
        self._spec_mark = -1
        self.reused_tail = False  # finish() reused a speculative decode (for benchmarks/tests)
        self._done_until = 0  # sample index up to which pieces are transcribed
        self._current = 0  # samples of the piece being decoded now
        self._decoded_s = 0.0  # seconds of audio decoded, and the wall time it took
        self._decode_wall = 0.0
        self._thread = threading.Thread(target=self._run, name="rehearse-live-transcriber", daemon=True)
        self._thread.start()

    # -- producer side
    def feed(self, block: Any, rate: int = SAMPLE_RATE) -> None:
        if self._closed:
            raise TranscribeError("live transcriber already finished")
        mono = as_mono16k(block) if rate == SAMPLE_RATE else self._resample(block, rate)
        if mono.size == 0:
            return
        np = self._np
        self._chunks.append(mono)
        self._heard.append(mono)
        self._n += mono.size
        data = np.concatenate([self._pending_frame, mono]) if self._pending_frame.size else mono
        nfull = data.size // FRAME * FRAME
        self._pending_frame = data[nfull:].copy()
        if nfull:
            before = len(self._cutter.cuts)
            self._cutter.push(frame_db(data[:nfull]).tolist(), self._frames_seen)
            self._frames_seen += nfull // FRAME
            for cut in self._cutter.cuts[before:]:
                self._submit(cut * FRAME)
            quiet = self._cutter.quiet_run
            speech_end = self._frames_seen - quiet
            if quiet >= self._spec_quiet_f and speech_end != self._spec_mark and self._chunks:
                self._spec_mark = speech_end
                if speech_end * FRAME > self._chunk_start:  # some sound since the last cut
                    snap = np.concatenate(self._chunks) if len(self._chunks) > 1 else self._chunks[0].copy()
                    with self._cv:
                        self._spec_job = (self._chunk_start, snap)
                        self._cv.notify_all()

    def _resample(self, block: Any, rate: int) -> NDArray[np.float32]:
        np = self._np
        if self._resampler is None or self._rate != rate:
            self._resampler = mono16k_resampler()
            self._rate = rate
        out = resample_block(self._resampler, as_mono16k(block), int(rate))
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)

    def _take(self, upto: int) -> NDArray[np.float32]:
        """Remove and return samples [chunk_start, upto) from the buffer."""
        np = self._np
        audio = np.concatenate(self._chunks) if len(self._chunks) != 1 else self._chunks[0]
        k = upto - self._chunk_start
        piece, rest = audio[:k], audio[k:]
        self._chunks = [rest] if rest.size else []
        self._chunk_start = upto
        return piece

    def _submit(self, upto: int, final: bool = False) -> None:
        start = self._chunk_start
        piece = self._take(upto)
        regions = None
        if final:
            # the tail: reuse the speculative decode when the speech regions are the same
            regions = piece_regions(piece, self.options)
            with self._cv:
                spec = self._spec
            if spec is not None and spec[0] == start and spec[1] == regions:
                with self._cv:
                    self._results.append(spec[2])
                    self._words.extend(spec[2].words)
                self.reused_tail = True
                return
        with self._cv:
            if self._closed_by_error:
                return
            self._queue.append((start, piece, regions))
            self._cv.notify_all()

    # -- consumer side
    @property
    def error(self) -> BaseException | None:
        """The first error of the background thread (also raised by finish())."""
        with self._cv:
            return self._error

    def _speculate(self, start: int, snap: NDArray[np.float32]) -> None:
        try:
            regions = piece_regions(snap, self.options)
            if self._loaded is None:  # not reached: _run loads the model before it speculates
                return
            res = decode_piece(self._loaded, snap, start / SAMPLE_RATE, self.options, precomputed=regions)
        except BaseException:
            return  # speculation is only an optimisation; finish() decodes for real
        with self._cv:
            self._spec = (start, regions, res)

    def _run(self) -> None:
        if self._loaded is None:
            try:
                self._loaded = load_model(self.options)
            except BaseException as exc:
                with self._cv:
                    self._error = exc
                    self._queue.clear()
                    self._closed_by_error = True
                    self._cv.notify_all()
                return
        loaded = self._loaded
        while True:
            job: tuple[int, NDArray[np.float32]] | None = None
            with self._cv:
                while not self._queue and not self._closed and self._spec_job is None:
                    self._cv.wait()
                if not self._queue and self._closed:
                    return
                if not self._queue:
                    job = self._spec_job  # set: the wait above ends on a piece, a close or a job
                    self._spec_job = None
                    item = None
                else:
                    item = self._queue.pop(0)
                self._busy = True
            if item is None:
                if job is not None:
                    self._speculate(*job)
                with self._cv:
                    self._busy = False
                    self._cv.notify_all()
                continue
            start, piece, regions = item
            with self._cv:
                self._current = piece.size
            t0 = time.perf_counter()
            try:
                res = decode_piece(loaded, piece, start / SAMPLE_RATE, self.options, precomputed=regions)
            except BaseException as exc:  # reported by finish()
                res = PieceResult([], [])
                with self._cv:
                    self._error = self._error or exc
            wall = time.perf_counter() - t0
            with self._cv:
                self._results.append(res)
                self._words.extend(res.words)
                self._done_until = start + piece.size
                self._current = 0
                if regions is None or regions[1]:  # a piece with speech: its decode speed counts
                    self._decoded_s += piece.size / SAMPLE_RATE
                    self._decode_wall += wall
                self._busy = False
                self._cv.notify_all()

    @property
    def words(self) -> tuple[Word, ...]:
        """Words transcribed so far (grows while recording)."""
        with self._cv:
            return tuple(self._words)

    @property
    def duration(self) -> float:
        return self._n / SAMPLE_RATE

    @property
    def pending_seconds(self) -> float:
        """Audio received but not yet transcribed (what finish() would still decode),
        the piece being decoded now included."""
        with self._cv:
            queued = sum(p.size for _, p, _r in self._queue) + self._current
        return (queued + sum(c.size for c in self._chunks)) / SAMPLE_RATE

    @property
    def behind_seconds(self) -> float:
        """How far the live words are behind the speaker: audio received after the end
        of the last transcribed piece (the unfinished piece, waiting for a pause to be cut
        at, included)."""
        with self._cv:
            return max(0.0, (self._n - self._done_until) / SAMPLE_RATE)

    def eta_seconds(self, audio_s: float | None = None) -> float | None:
        """Estimated wall time to transcribe ``audio_s`` seconds (default: all pending),
        from this session's own decoding speed; None before the first piece is decoded."""
        with self._cv:
            decoded, wall = self._decoded_s, self._decode_wall
        if decoded <= 0:
            return None
        return (self.pending_seconds if audio_s is None else audio_s) * wall / decoded

    def finish(self) -> Transcript:
        """Decode the tail, wait for the background thread, return the final Transcript."""
        if not self._closed:
            np = self._np
            if self._pending_frame.size:
                self._pending_frame = np.zeros(0, dtype=np.float32)
            with self._cv:
                self._spec_job = None
            if self._n > self._chunk_start:
                # wait for queued pieces (results stay in order), then the tail
                with self._cv:
                    while (self._queue or self._busy) and self._error is None and not self._closed_by_error:
                        self._cv.wait(0.05)
                self._submit(self._n, final=True)
            with self._cv:
                self._closed = True
                self._cv.notify_all()
        self._thread.join()
        if self._error is not None:
            err = self._error
            if isinstance(err, RehearseError):
                raise err
            raise TranscribeError(f"live transcription failed ({type(err).__name__}: {err})")
        if self._loaded is None:
            raise TranscribeError("live transcription was cancelled before the speech model was loaded")
        heard = self._np.concatenate(self._heard) if self._heard else None
        return build_transcript(self._loaded, self.options, self._results, self._n / SAMPLE_RATE, heard)

    def cancel(self) -> None:
        with self._cv:
            self._queue.clear()
            self._closed = True
            self._cv.notify_all()
