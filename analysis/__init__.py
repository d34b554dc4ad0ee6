"""Speech -> feedback. A pure core: frozen dataclasses in, frozen dataclasses out.

Only ``analysis.transcribe`` touches faster-whisper (lazily). Nothing here imports
textual or sounddevice.
"""

__version__ = "0.1.0"
