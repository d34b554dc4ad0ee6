"""Speech -> feedback. A pure core: frozen dataclasses in, frozen dataclasses out.

Only the ``analysis.speech`` package touches faster-whisper, ctranslate2 and av (lazily). Nothing here imports
textual or sounddevice.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.engine import analyze

__version__ = "0.1.0"


def __getattr__(name: str):
    # ``analysis.analyze`` without importing the whole engine at ``import analysis``
    # (the CLI imports this package for __version__ on every start).
    if name == "analyze":
        from analysis.engine import analyze

        return analyze
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


__all__ = ["__version__", "analyze"]
