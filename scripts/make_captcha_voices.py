"""Record the Vietnamese digits of the audio captcha (app/accounts/voices/vi/<digit>/*.wav).

Needs Debian's espeak-ng (apt-get install espeak-ng); the files are committed, so the portal
itself never needs it. The `captcha` package wants 8-bit unsigned mono PCM at 8 kHz.
"""
from __future__ import annotations

import audioop  # deprecated in 3.11 but present; a build-time script only
import subprocess  # noqa: S404 - a fixed local command
import tempfile
import wave
from pathlib import Path

WORDS = {"0": "không", "1": "một", "2": "hai", "3": "ba", "4": "bốn", "5": "năm", "6": "sáu",
         "7": "bảy", "8": "tám", "9": "chín"}
VOICES = {"a": ["-v", "vi", "-s", "140"], "b": ["-v", "vi-vn-x-central", "-s", "130"]}
OUT = Path(__file__).resolve().parents[1] / "app" / "accounts" / "voices" / "vi"


def record(word: str, options: list[str]) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".wav") as raw:
        subprocess.run(["espeak-ng", *options, "-w", raw.name, word], check=True)  # noqa: S603,S607
        with wave.open(raw.name) as source:
            frames, rate, width = source.readframes(-1), source.getframerate(), source.getsampwidth()
    frames, _ = audioop.ratecv(frames, width, 1, rate, 8000, None)
    return audioop.bias(audioop.lin2lin(frames, width, 1), 1, 128)  # signed → unsigned 8-bit


def main() -> None:
    for digit, word in WORDS.items():
        (OUT / digit).mkdir(parents=True, exist_ok=True)
        for name, options in VOICES.items():
            with wave.open(str(OUT / digit / f"{name}.wav"), "wb") as target:
                target.setnchannels(1)
                target.setsampwidth(1)
                target.setframerate(8000)
                target.writeframes(record(word, options))


if __name__ == "__main__":
    main()
