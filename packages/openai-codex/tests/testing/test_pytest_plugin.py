"""The pytest plugin's fixtures, used the way a user's test suite would (via pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixtures_drive_a_real_turn(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["openai_codex.testing.pytest_plugin"]\n')
    pytester.makepyfile(
        """
        from openai_codex import Codex
        from openai_codex.testing import Reply

        def test_hello(offline_model, offline_codex_config, tmp_path):
            offline_model.enqueue(Reply.text("hi from the plugin"))
            with Codex(offline_codex_config) as codex:
                result = codex.thread_start().run("Hello")
            assert result.final_response == "hi from the plugin"
            assert offline_model.requests[0].last_user_text == "Hello"
            assert (tmp_path / "codex-home" / "config.toml").exists()
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=110)
    result.assert_outcomes(passed=1)
