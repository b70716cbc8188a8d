from importlib.metadata import version

import openai_codex_transport


def test_version_comes_from_installed_metadata() -> None:
    assert openai_codex_transport.__version__ == version("openai-codex-transport")
    assert openai_codex_transport.__version__.startswith("0.0.0")
