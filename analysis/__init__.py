"""Speech -> feedback. A pure core: frozen dataclasses in, frozen dataclasses out.

Only ``analysis.transcribe`` touches faster-whisper (lazily). Nothing here imports
textual or sounddevice.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time __getattr__ below loads it on first use
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
