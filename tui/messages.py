"""Messages that workers post to the UI (thread-safe: ``post_message`` from any thread)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Progress(Message):
    """Progress of a long job. ``task`` names the job ("transcribe", "rescore", "download")."""

    def __init__(self, task: str, done: float, total: float | None, note: str = "") -> None:
        super().__init__()
        self.task = task
        self.done = done
        self.total = total
        self.note = note


class RecordingStarted(Message):
    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session


class TakeReady(Message):
    """A take has been recorded (or re-transcribed) and analysed: open it in Review."""

    def __init__(self, take_id: str, note: str = "") -> None:
        super().__init__()
        self.take_id = take_id
        self.note = note


class ReportUpdated(Message):
    """A take's report was recomputed (boundary moved, new model, re-score)."""

    def __init__(self, take_id: str, report: dict, transcript: Any) -> None:
        super().__init__()
        self.take_id = take_id
        self.report = report
        self.transcript = transcript


class LibraryChanged(Message):
    """Takes were added, deleted, restored or re-scored."""

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note


class PractiseAgain(Message):
    """Practise: take the app's pending take (record its question again)."""
