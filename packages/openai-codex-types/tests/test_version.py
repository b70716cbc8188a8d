from importlib.metadata import version

import openai_codex_types


def test_version_comes_from_installed_metadata() -> None:
    assert openai_codex_types.__version__ == version("openai-codex-types")
    assert openai_codex_types.__version__.startswith("0.0.0")
