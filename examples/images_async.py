"""Images (async): send a local image file and an image URL with the prompt."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from _image import data_url, write_png
from _support import example_config

from openai_codex import AsyncCodex, ImageInput, LocalImageInput, TextInput
from openai_codex.testing import Reply

OFFLINE_REPLY = Reply.text("Offline model: I received your question and two images.")
IMAGE_URL = (
    "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png"
)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, example_config(OFFLINE_REPLY) as config:
        square = write_png(Path(tmp) / "red-square.png")
        blue = write_png(Path(tmp) / "blue-square.png", rgb=(40, 40, 220))
        async with AsyncCodex(config) as codex:
            thread = await codex.thread_start()
            result = await thread.run(
                [
                    TextInput("What colour is the square in the first image?"),
                    LocalImageInput(str(square)),
                    ImageInput(data_url(blue)),
                ]
            )
            print(result.final_response)


if __name__ == "__main__":
    asyncio.run(main())
