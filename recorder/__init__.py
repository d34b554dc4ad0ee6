"""Audio and takes: capture, playback, the take library, devices. Never imports textual."""
