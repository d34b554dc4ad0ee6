"""Run by tests/functional/test_tui_mic.py in a subprocess (PortAudio must start with the private
PulseAudio server in its environment): drive Practise with the REAL recorder and
microphone path. Prints RECORDING when the mic is open, then one JSON line of results."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys

from tui_helpers import settle, wait_for  # this script's own folder (tests/support) is on sys.path


async def main(model: str) -> dict:
    from analysis.speech.options import TranscribeOptions
    from recorder.takes import Library
    from tui.app import make_app
    from tui.screens.practise import RECORDING
    from tui.screens.review import ReviewScreen
    from tui.settings import AppSettings
    from tui.widgets.level_meter import LevelMeter

    settings = AppSettings(transcription=dataclasses.replace(TranscribeOptions(), model=model, device="cpu"))
    app = make_app(settings=settings, start="practise", ensure_sample=False)
    loudest = -120.0
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("1")  # not recording yet: ignored
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == RECORDING, timeout=20, what="microphone")
        print("RECORDING", flush=True)
        meter = screen.query_one(LevelMeter)

        def loud() -> bool:
            nonlocal loudest
            loudest = max(loudest, meter.rms_db)
            return meter.rms_db > -40

        await wait_for(pilot, loud, timeout=20, what="speech on the level meter")
        await pilot.press("s")
        await pilot.pause(3.0)
        await pilot.press("a")
        await wait_for(pilot, lambda: screen.session.recorder.elapsed > 8.0, timeout=20, what="8 s recorded")
        for _ in range(10):
            loudest = max(loudest, meter.rms_db)
            await pilot.pause(0.05)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), timeout=90, what="Review")
        await settle(pilot)
        take_id = app.screen.take_id
        notes = [n.message for n in app._notifications]
    lib = Library()
    take = lib.get(take_id)
    transcript = lib.load_transcript(take_id)
    return {
        "duration": take.duration,
        "device": take.device,
        "markers": [[m.label, m.time] for m in take.markers],
        "words": [w.text.strip() for w in transcript.words],
        "loudest_db": loudest,
        "has_report": lib.load_report(take_id) is not None,
        "notes": notes,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))), flush=True)
