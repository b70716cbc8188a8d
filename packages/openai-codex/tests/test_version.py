from importlib.metadata import version

import openai_codex


def test_version_comes_from_installed_metadata() -> None:
    assert openai_codex.__version__ == version("openai-codex")
    assert openai_codex.__version__.startswith("0.0.0")
