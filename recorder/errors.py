"""The recorder layer's errors: each is one line saying what happened and what to do."""

from __future__ import annotations

from analysis.errors import RehearseError


class AudioDeviceError(RehearseError):
    """No PortAudio, no microphone, a busy or vanished device, a bad device name."""


class RecordingError(RehearseError):
    """The recording stopped early (disk full, device gone). Audio so far is kept."""


class LibraryError(RehearseError):
    """A problem with the take library on disk."""


class TakeNotFoundError(LibraryError):
    pass


class LibraryBusyError(LibraryError):
    """Another running Rehearse holds the library lock for too long."""


class LibraryReadOnlyError(LibraryError):
    """The user made the take library read-only: Rehearse changes nothing in it."""


class KeptTakeError(LibraryError):
    """A take could not be saved, but its audio is kept (in ``.in-progress/``) and is
    recovered by the next start of Rehearse. Never a reason to discard the take."""
