"""Speech recognition: audio -> Transcript with faster-whisper (DESIGN.md "Data contracts").

The ONLY package that imports faster_whisper, ctranslate2 or av, and it does so lazily
(inside functions), so importing any of its modules is cheap (``rehearse --help`` stays
fast). One job per module:

- ``options``: the ``[transcription]`` settings (TranscribeOptions) and their ranges
- ``errors``: TranscribeError, ModelNotAvailableError, AudioError
- ``devices``: CPU/CUDA choice, compute type, the CUDA 12 wheels preload
- ``models``: the model catalogue, the bundled tiny.en, which model the settings select
- ``download``: the model hub (reachability, ``pull_model``)
- ``load``: loading a WhisperModel once per process
- ``audio``: decoding files and arrays to 16 kHz mono float32
- ``pieces``: the causal pause cutter and the VAD speech regions
- ``decode``: decoding one piece and the guards against invented text
- ``batch``: ``transcribe`` (a file or an array)
- ``live``: ``LiveTranscriber`` (while the person speaks)

Pipeline while recording (``LiveTranscriber``; files, ``transcribe``, skip step 2 unless
``file_pieces`` is set and decode the whole recording's speech in faster-whisper's own
30-s windows, which is as fast as faster-whisper's one-call transcribe):

1. Audio becomes 16 kHz mono float32 (PyAV decodes wav/flac/mp3/ogg/m4a at any rate and
   channel count).
2. It is cut into *pieces* at pauses, with a causal rule (it only looks at audio already
   heard), so the live transcriber, which sees the audio as it arrives, cuts at exactly
   the places the batch path does, and both transcribe the same pieces: the live words
   equal the batch words, and at stop only the tail piece is left to decode.
3. Per piece: an energy gate skips digital silence; Silero VAD (bundled with
   faster-whisper) finds speech; the speech regions, padded so first syllables are not
   clipped, are decoded by Whisper with word timestamps; times map back to the recording.
4. Guards against invented text: condition_on_previous_text off, no-speech/log-prob/
   compression thresholds, hallucination_silence_threshold, echo-of-prompt and
   repetition-loop removal. Silence gives no words and ``extra["no_speech"] = True``.
5. The fillers Whisper drops: a verbatim-leaning hint with fillers (every window), a
   verbatim model's ``[UM]``/``[UH]`` tokens mapped to "um"/"uh", and audio-side
   ``hesitations`` (analysis.hesitation): flat-pitch, steady voiced stretches of >= 200 ms in
   speech VAD found that no word covers and in words stretched far beyond the speaker's
   typical length (faster-whisper stretches a neighbour over a dropped "um").
"""

from analysis.privacy import disable_telemetry

disable_telemetry()  # before any module of this package can import faster_whisper (which loads onnxruntime)
