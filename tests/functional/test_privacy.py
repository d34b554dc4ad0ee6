"""Nothing leaves the machine, nothing is written outside REHEARSE_HOME, and everything
Rehearse writes is private (README "Privacy").

Every user-facing way of running speech through Rehearse runs as a real process under
``strace -f``: ``rehearse analyze`` on speech audio, ``rehearse record`` (a real
PulseAudio virtual microphone), ``rehearse import``, ``rehearse rescore --retranscribe``
and the app itself in a terminal (tmux). Each transcription uses a local model and real
speech, so faster-whisper's Silero VAD runs and loads onnxruntime (whose official builds
send telemetry to Microsoft and keep a device id under ``~/.cache/Microsoft``): the trace
must show the VAD model being opened (otherwise the test proves nothing), no network
connection other than a Unix socket or loopback (no host name lookup either), and no file
or folder created outside REHEARSE_HOME (HOME is an empty folder that must stay empty).
The environment the commands get has none of the opt-out variables: Rehearse sets them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from recorder_helpers import SPEECH_WAV, VirtualAudio, missing_audio_tools, record_while_speaking, rehearse_cmd

pytestmark = pytest.mark.slow

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav")
OPT_OUTS = ("ORT_DISABLE_TELEMETRY", "HF_HUB_DISABLE_TELEMETRY", "DISABLE_TELEMETRY", "DO_NOT_TRACK")
TRACED = (
    "connect,sendto,sendmsg,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat"
)
VAD_MODEL = "silero_vad"


def _strace_works() -> str | None:
    if shutil.which("strace") is None:
        return "strace is not installed (apt install strace)"
    r = subprocess.run(["strace", "-qq", "-o", os.devnull, "true"], capture_output=True, text=True)
    return None if r.returncode == 0 else f"strace cannot trace here: {r.stderr.strip()[:200]}"


WHY = _strace_works() or missing_audio_tools()


# ---- reading a trace ------------------------------------------------------------------
_CALL = re.compile(r"^(?P<pid>\d+)\s+(?P<name>\w+)\((?P<args>.*)$")
_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND")


def _strings(args: str) -> list[str]:
    return [bytes(s, "utf-8").decode("unicode_escape") for s in re.findall(r'"((?:[^"\\]|\\.)*)"', args)]


def network_violations(lines: list[str]) -> list[str]:
    """Every connection attempt that is not a Unix socket or loopback (DNS included)."""
    bad = []
    for line in lines:
        m = _CALL.match(line)
        if not m or m["name"] not in ("connect", "sendto", "sendmsg"):
            continue
        args = m["args"]
        fam = re.search(r"sa_family=AF_(\w+)", args)
        if fam is None:
            continue  # a connected socket (its connect() is checked) or no address
        family = fam.group(1)
        port = re.search(r"htons\((\d+)\)", args)
        if family == "UNIX":
            if "nscd" in args:  # the name service cache: a host name lookup
                bad.append(line)
            continue
        if family == "NETLINK":
            continue  # the kernel, not the network
        if family == "INET":
            addr = re.search(r'inet_addr\("([^"]+)"\)', args)
            local = addr is not None and addr.group(1).startswith("127.")
        elif family == "INET6":
            addr = re.search(r'inet_pton\(AF_INET6, "([^"]+)"', args)
            local = addr is not None and addr.group(1) == "::1"
        else:
            local = False
        if not local or (port is not None and port.group(1) == "53"):
            bad.append(line)
    return bad


def write_violations(lines: list[str], allowed: list[Path], cwd: Path) -> list[str]:
    """Every file or folder created or opened for writing outside the allowed places
    (Python's own bytecode cache, /dev and /proc aside)."""
    roots = [str(p.resolve()) for p in allowed] + ["/dev", "/proc"]

    def outside(path: str) -> bool:
        if "/__pycache__" in path or path.endswith(".pyc"):
            return False
        full = os.path.normpath(path if path.startswith("/") else os.path.join(cwd, path))
        return not any(full == r or full.startswith(r + "/") for r in roots)

    bad = []
    for line in lines:
        m = _CALL.match(line)
        if not m:
            continue
        name, args = m["name"], m["args"]
        paths = _strings(args)
        if not paths:
            continue
        if name in ("open", "openat"):
            if not any(f in args for f in _WRITE_FLAGS):
                continue
            relative_to_fd = name == "openat" and not args.startswith("AT_FDCWD") and not paths[0].startswith("/")
            if relative_to_fd or outside(paths[0]):
                bad.append(line)
        elif name in ("creat", "mkdir", "mkdirat"):
            if outside(paths[0]) or (
                name == "mkdirat" and not args.startswith("AT_FDCWD") and not paths[0].startswith("/")
            ):
                bad.append(line)
        elif name.startswith(("rename", "link", "symlink")):
            if outside(paths[-1]):
                bad.append(line)
    return bad


class Traced:
    """Runs rehearse commands under strace with a clean environment, collects the traces."""

    def __init__(self, tmp: Path, home: Path, audio: VirtualAudio) -> None:
        self.tmp = tmp
        self.home = home
        self.user_home = tmp / "user-home"  # HOME: must stay empty
        self.cwd = tmp / "cwd"  # the working directory: must stay empty
        self.exports = tmp / "exports"
        for d in (self.user_home, self.cwd, self.exports):
            d.mkdir()
        # libpulse (the sound server's client library, not Rehearse) keeps the user's
        # sound-server cookie here and creates it on a first connection; every desktop
        # with PulseAudio already has it.
        self.pulse_client = self.user_home / ".config" / "pulse"
        (self.user_home / ".config").mkdir()
        env = dict(audio.env)
        for name in OPT_OUTS:
            env.pop(name, None)
        for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HF_HOME"):
            env.pop(name, None)
        env.update(HOME=str(self.user_home), REHEARSE_HOME=str(home))
        self.env = env
        self.traces: dict[str, list[str]] = {}

    def cmd(self, label: str, args: list[str]) -> list[str]:
        out = self.tmp / f"{label}.trace"
        return [
            "strace",
            "-f",
            "-qq",
            "-s",
            "512",
            "-e",
            "signal=none",
            "-e",
            f"trace={TRACED}",
            "-o",
            str(out),
            *rehearse_cmd(),
            *args,
        ]

    def collect(self, label: str) -> list[str]:
        lines = (self.tmp / f"{label}.trace").read_text(errors="replace").splitlines()
        self.traces[label] = lines
        return lines

    def run(self, label: str, args: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
        r = subprocess.run(
            self.cmd(label, args),
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        self.collect(label)
        return r

    def check(self, label: str, *, vad: bool) -> None:
        lines = self.traces[label]
        assert not network_violations(lines), f"{label}: network traffic:\n" + "\n".join(network_violations(lines))
        allowed = [self.home, self.exports, self.pulse_client]
        bad = write_violations(lines, allowed, self.cwd)
        assert not bad, f"{label}: wrote outside REHEARSE_HOME:\n" + "\n".join(bad[:20])
        if vad:  # the check means something only if onnxruntime was really loaded
            assert any(VAD_MODEL in line and "open" in line for line in lines), (
                f"{label}: the VAD (onnxruntime) never ran, so telemetry was not exercised"
            )


def _install_as_downloaded(model: Path, models_dir: Path, repo_id: str) -> None:
    """Put a local model where a download would have left it (the Hugging Face cache
    layout: refs/main names the snapshot)."""
    folder = models_dir / ("models--" + repo_id.replace("/", "--"))
    commit = "0" * 40
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text(commit)
    shutil.copytree(model, folder / "snapshots" / commit)


def _speech_words() -> list[str]:
    return [w["text"] for w in json.loads(SPEECH_WAV.with_suffix(".words.json").read_text())]


@pytest.fixture(scope="module")
def audio():
    va = VirtualAudio().start()
    yield va
    va.stop()


@pytest.mark.skipif(WHY is not None, reason=f"the traced run needs strace and PulseAudio: {WHY}")
def test_no_network_and_nothing_outside_rehearse_home(audio, rehearse_home, tmp_path, whisper_model_factory):
    model = str(whisper_model_factory.scripted(_speech_words()))
    t = Traced(tmp_path, rehearse_home, audio)

    # 1. analyze an audio file of speech with a downloaded model, by name (the everyday
    # path: huggingface_hub finds it in Rehearse's model cache, offline)
    _install_as_downloaded(Path(model), rehearse_home / "models", "Systran/faster-whisper-tiny.en")
    r = t.run("analyze", ["analyze", str(SPEECH_WAV), "--model", "tiny.en", "--json"])
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["words"] > 5 and report.get("model") in (None, "tiny.en"), report.get("model")
    t.check("analyze", vad=True)

    # 2. record from the (virtual) microphone while speech plays into it; transcribe
    r = record_while_speaking(
        audio,
        t.cmd("record", ["record", "--seconds", "9", "--question", "Privacy check", "--model", model]),
        t.env,
        timeout=300,
        cwd=t.cwd,
    )
    assert r.returncode == 0, r.stderr
    assert "Saved take" in r.stderr
    t.collect("record")
    t.check("record", vad=True)

    # 3. import real read speech; 4. re-transcribe it
    speech = LIBRIVOX if LIBRIVOX.is_file() else SPEECH_WAV
    r = t.run("import", ["import", str(speech), "--question", "Imported", "--model", model])
    assert r.returncode == 0, r.stderr
    take_id = re.search(r"as take (\S+) ", r.stderr).group(1)
    t.check("import", vad=True)
    r = t.run("rescore", ["rescore", take_id, "--retranscribe", "--model", model, "--quiet"])
    assert r.returncode == 0, r.stderr
    t.check("rescore", vad=True)

    # 5. exports are the only thing written elsewhere: where the user asked
    r = t.run("export", ["takes", "export", take_id, "-f", "md", "-o", str(t.exports / "take.md")])
    assert r.returncode == 0, r.stderr
    t.check("export", vad=False)

    # 6. the app in a real terminal: start, open a take, back, quit
    _tui(t)
    t.check("tui", vad=False)

    in_home = [
        p
        for p in t.user_home.rglob("*")
        if p not in (t.pulse_client, t.pulse_client.parent) and t.pulse_client not in p.parents
    ]
    assert in_home == [], "files appeared in HOME: " + ", ".join(map(str, in_home))
    assert list(t.cwd.iterdir()) == []


def _tui(t: Traced) -> None:
    sock = f"rehearse-privacy-{uuid.uuid4().hex[:8]}"
    env = dict(t.env, TERM="xterm-256color")
    env.pop("NO_COLOR", None)

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", sock, *args], env=env, capture_output=True, text=True, timeout=10).stdout

    def wait_for(*texts: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-t", "t")
            if all(x in screen for x in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"the app never showed {texts!r}; last screen:\n{screen}")

    command = " ".join(f"'{c}'" for c in t.cmd("tui", []))
    tmux(
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "100",
        "-y",
        "30",
        "-c",
        str(t.cwd),
        f"{command}; echo REHEARSE-EXIT=$?; sleep 30",
    )
    try:
        wait_for("Library", "Privacy check", "Imported")
        tmux("send-keys", "-t", "t", "Enter")
        wait_for("Review")
        tmux("send-keys", "-t", "t", "Escape")
        wait_for("Library")
        tmux("send-keys", "-t", "t", "C-q")
        wait_for("REHEARSE-EXIT=0", timeout=30)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, timeout=10)
    t.collect("tui")


# ---- every file private ------------------------------------------------------------------
def _modes(root: Path) -> list[str]:
    bad = []
    for p in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(p.lstat().st_mode)
        want = 0o700 if p.is_dir() else 0o600
        if p.is_symlink():
            continue
        if mode & 0o077 or (p.is_dir() and mode != want):
            bad.append(f"{oct(mode)} {p}")
    return bad


def test_every_file_rehearse_writes_is_private_even_under_umask_000(rehearse_home, tmp_path, whisper_model_factory):
    model = str(whisper_model_factory.scripted(_speech_words()))
    out = tmp_path / "exports"
    out.mkdir()
    os.chmod(out, 0o777)
    env = dict(os.environ, REHEARSE_HOME=str(rehearse_home))

    def rehearse(*args: str) -> subprocess.CompletedProcess:
        r = subprocess.run(
            [*rehearse_cmd(), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
            preexec_fn=lambda: os.umask(0),
        )
        assert r.returncode == 0, r.stderr
        return r

    r = rehearse("import", str(SPEECH_WAV), "--question", "Umask check", "--model", model)
    take_id = re.search(r"as take (\S+) ", r.stderr).group(1)
    rehearse("takes", "edit", take_id, "--competency", "teamwork")
    for fmt, name in (("md", "a.md"), ("json", "a.json"), ("csv", "a.csv"), ("audio", "a.flac"), ("wav", "a.wav")):
        rehearse("takes", "export", take_id, "-f", fmt, "-o", str(out / name))
    rehearse("takes", "export", "--all", "-f", "csv", "-o", str(out / "all.csv"))
    rehearse("takes", "delete", take_id)
    rehearse("takes", "restore", take_id)
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "a.flac", "a.json", "a.md", "a.wav", "all.csv"]
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, f"{oct(p.stat().st_mode)} {p}"
    assert not _modes(rehearse_home), _modes(rehearse_home)


def test_the_library_api_sets_the_opt_outs_before_faster_whisper_loads(tmp_path):
    """Code that uses the analysis package directly (no CLI) is covered too."""
    env = {k: v for k, v in os.environ.items() if k not in OPT_OUTS}
    code = (
        "import os, sys, analysis.speech.batch, analysis.speech.live\n"
        "assert 'faster_whisper' not in sys.modules and 'onnxruntime' not in sys.modules\n"
        "print(os.environ.get('ORT_DISABLE_TELEMETRY'), os.environ.get('HF_HUB_DISABLE_TELEMETRY'))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "1"]


def test_the_trace_check_catches_a_host_lookup_and_a_connection():
    """The detector itself, on lines from a real strace of onnxruntime's telemetry."""
    lines = [
        '11063 connect(8, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '11064 connect(9, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 '
        "<unfinished ...>",
        "11065 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '11066 connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',
    ]
    fine = [
        '12000 connect(5, {sa_family=AF_UNIX, sun_path="/tmp/rehearse-pulse-x/native"}, 110) = 0',
        '12001 connect(5, {sa_family=AF_INET, sin_port=htons(8081), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12002 sendto(5, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1',
    ]
    assert network_violations(lines) == lines
    assert network_violations(fine) == []


def test_the_library_writes_private_files_without_the_cli_umask(tmp_path):
    """Code using the library directly (no `rehearse` process, so no umask 077) under
    umask 000: takes, exports and the settings file are still 0600, folders 0700."""
    code = f"""
import os, stat, sys
os.umask(0)
from pathlib import Path
from analysis.transcript import atomic_write_text
from recorder.takes import Library
root = Path({str(tmp_path / "lib")!r})
lib = Library(root / "takes")
take = lib.import_audio({str(SPEECH_WAV)!r}, question="Umask")
lib.set_question(take.id, "Umask 2")
out = Path({str(tmp_path / "out")!r}); out.mkdir(); os.chmod(out, 0o777)
for fmt, name in (("md", "a.md"), ("json", "a.json"), ("csv", "a.csv"), ("audio", "a.flac"), ("wav", "a.wav")):
    lib.export(take.id, fmt, out / name)
atomic_write_text(root / "config" / "settings.toml", "x = 1\\n")
bad = []
for p in [*root.rglob("*"), *out.iterdir()]:
    mode = stat.S_IMODE(p.stat().st_mode)
    if p.is_dir() and mode != 0o700 or not p.is_dir() and mode != 0o600:
        bad.append(oct(mode) + " " + str(p))
print("\\n".join(bad))
"""
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", r.stdout
