"""Real-audio helpers for the recorder tests: a private PulseAudio server with a virtual
microphone (DESIGN.md, "Virtual microphone"), speech audio, and signal comparison.

``VirtualAudio.start()`` runs ``pulseaudio`` in the foreground with its socket in a temp
dir; programs get ``PULSE_SERVER``/``XDG_RUNTIME_DIR`` from ``.env``. PortAudio (via the
ALSA -> pulse bridge of libasound2-plugins) then sees the devices ``pulse``/``default``,
whose input is the source ``mic`` fed by ``paplay --device=micfeed``; what programs play
goes to the sink ``speaker`` (capture it with ``parecord --device=speaker.monitor``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SPEECH_WAV = ROOT / "tests" / "fixtures" / "speech_16k.wav"

CONFIG = """.fail
load-module module-native-protocol-unix auth-anonymous=1 socket={sock}
load-module module-null-sink sink_name=speaker format=s16le rate=16000 channels=1
load-module module-null-sink sink_name=micfeed format=s16le rate=16000 channels=1
load-module module-remap-source master=micfeed.monitor source_name=mic format=s16le rate=16000 channels=1
load-module module-null-sink sink_name=keepalive format=s16le rate=16000 channels=1
load-module module-loopback source=micfeed.monitor sink=keepalive latency_msec=20 source_dont_move=true sink_dont_move=true
load-module module-loopback source=speaker.monitor sink=keepalive latency_msec=20 source_dont_move=true sink_dont_move=true
set-default-sink speaker
set-default-source mic
"""


def missing_audio_tools() -> str | None:
    """Why the real-audio tests cannot run here (None when they can)."""
    for tool in ("pulseaudio", "pactl", "paplay", "parecord"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt install pulseaudio pulseaudio-utils libasound2-plugins)"
    return None


class VirtualAudio:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="rehearse-pulse-"))
        os.chmod(self.dir, 0o700)
        self.sock = self.dir / "native"
        self.log = self.dir / "pulse.log"
        self.proc: subprocess.Popen | None = None
        self.env = dict(os.environ)
        self.env.update(
            PULSE_SERVER=f"unix:{self.sock}",
            XDG_RUNTIME_DIR=str(self.dir),
            PULSE_RUNTIME_PATH=str(self.dir),
            HOME=os.environ.get("HOME", str(self.dir)),
        )
        self.env.pop("PULSE_SINK", None)
        self.env.pop("PULSE_SOURCE", None)

    def start(self, settle: float = 2.2) -> VirtualAudio:
        conf = self.dir / "config.pa"
        conf.write_text(CONFIG.format(sock=self.sock))
        self.proc = subprocess.Popen(
            [
                "pulseaudio",
                "-n",
                f"--file={conf}",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--realtime=no",
                "--high-priority=no",
                f"--log-target=file:{self.log}",
                "--disallow-exit",
                "--use-pid-file=no",
                "--system=false",
            ],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pulseaudio exited ({self.proc.returncode}): {self.log_text()[-800:]}")
            r = subprocess.run(["pactl", "info"], env=self.env, capture_output=True, timeout=5)
            if r.returncode == 0:
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"pulseaudio did not answer: {self.log_text()[-800:]}")
        time.sleep(settle)  # null sinks start asleep
        return self

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---- "speak into the mic" / "listen to the speakers" --------------------------------
    def play_into_mic(self, wav: Path) -> subprocess.Popen:
        return subprocess.Popen(
            ["paplay", "--device=micfeed", str(wav)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def record_speaker(self, out: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [
                "parecord",
                "--device=speaker.monitor",
                "--file-format=wav",
                "--rate=16000",
                "--channels=1",
                "--format=s16le",
                str(out),
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )


def stop_parecord(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---- signals ------------------------------------------------------------------------------
def read_mono(path: Path, rate: int | None = 16000) -> tuple[np.ndarray, int]:
    """Audio as float64 mono, resampled to ``rate`` (FFT method) when it differs."""
    import soundfile as sf

    data, sr = sf.read(str(path), dtype="float64", always_2d=True)
    x = data.mean(axis=1)
    if rate and sr != rate and len(x):
        x = resample(x, sr, rate)
        sr = rate
    return x, sr


def resample(x: np.ndarray, sr: int, rate: int) -> np.ndarray:
    n = int(round(len(x) * rate / sr))
    spec = np.fft.rfft(x)
    keep = n // 2 + 1
    if keep <= len(spec):
        spec = spec[:keep]
    else:
        spec = np.concatenate([spec, np.zeros(keep - len(spec), dtype=complex)])
    return np.fft.irfft(spec, n) * (n / len(x))


def best_alignment(reference: np.ndarray, recorded: np.ndarray, max_lag: int) -> tuple[float, int]:
    """(normalised correlation, lag in samples) of ``reference`` found in ``recorded``:
    recorded[lag : lag+len(ref)] ~ reference. Searches lags in [-max_lag, len(recorded)]."""
    n = len(reference) + len(recorded)
    size = 1 << (n - 1).bit_length()
    xc = np.fft.irfft(np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(reference, size)), size)
    lags = np.concatenate([np.arange(0, len(recorded)), np.arange(-max_lag, 0)])
    vals = np.concatenate([xc[: len(recorded)], xc[size - max_lag :]]) if max_lag else xc[: len(recorded)]
    lag = int(lags[int(np.argmax(vals))])
    a, b = _overlap(reference, recorded, lag)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b))
    return (float(np.dot(a, b) / denom) if denom else 0.0), lag


def _overlap(reference: np.ndarray, recorded: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    if lag >= 0:
        seg = recorded[lag : lag + len(reference)]
        return reference[: len(seg)], seg
    ref = reference[-lag:]
    seg = recorded[: len(ref)]
    return ref[: len(seg)], seg


def first_sound(x: np.ndarray, threshold: float = 0.01) -> int:
    idx = np.flatnonzero(np.abs(x) > threshold)
    return int(idx[0]) if len(idx) else -1


def rehearse_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "rehearse"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tui"]


def practise_through_the_mic(model: str, speech: Path, env: dict[str, str]) -> dict:
    """Practise in a subprocess (tests/support/tui_mic_pilot.py, so PortAudio starts with a
    private PulseAudio server in its environment) with ``model``; once the mic is open,
    ``speech`` is played into the virtual microphone. Returns the pilot's JSON result."""
    import json

    va = VirtualAudio().start()
    try:
        pilot = Path(__file__).resolve().parent / "tui_mic_pilot.py"
        proc = subprocess.Popen(
            [sys.executable, str(pilot), model],
            env=dict(va.env, **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        assert first.strip() == "RECORDING", first + proc.stderr.read()[-2000:]
        speaker = va.play_into_mic(speech)
        out, err = proc.communicate(timeout=150)
        speaker.wait(15)
    finally:
        va.stop()
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def record_while_speaking(
    va: VirtualAudio, cmd: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run a recording command (``rehearse record ...``); once it says "Recording from",
    play the fixture speech into the virtual microphone ``va``. Returns the finished
    process, its stderr from the first line on."""
    p = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert p.stderr is not None
    line = p.stderr.readline()
    assert line.startswith("Recording from"), line + p.stderr.read()
    player = va.play_into_mic(SPEECH_WAV)
    out, err = p.communicate(timeout=timeout)
    player.wait(20)
    return subprocess.CompletedProcess(p.args, p.returncode, out, line + err)
