"""The one exception family the front end shows as a one-line message (never a trace)."""


class RehearseError(Exception):
    """A problem the user can act on. ``str(exc)`` is one line: what, where, what to do."""


class NoSpeechError(RehearseError):
    """The recording or transcript holds no words (nothing to analyse)."""
