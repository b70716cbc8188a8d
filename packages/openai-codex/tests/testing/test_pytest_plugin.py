"""The pytest plugin, used the way a user's test suite would (via pytester, in a subprocess
so the plugin is found through its ``pytest11`` entry point, as after ``pip install``)."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

import pytest

from openai_codex.testing import (
    OfflineModel,
    Reply,
    assert_model_received,
    assert_tool_output,
)
from openai_codex.testing.pytest_plugin import LIVE_KEY_VARIABLES

pytest_plugins = ["pytester"]

RUN_TIMEOUT_S = 110


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    for name in LIVE_KEY_VARIABLES:  # a key in the developer's environment must not leak in
        os.environ.pop(name, None)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=RUN_TIMEOUT_S)


def test_registered_through_the_pytest11_entry_point() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    values = {p.value for p in points}
    assert "openai_codex.testing.pytest_plugin" in values


def test_plugin_module_is_not_imported_without_pytest() -> None:
    """``import openai_codex`` (and ``openai_codex.testing``) never imports pytest or the plugin."""
    code = (
        "import sys, openai_codex, openai_codex.testing\n"
        "print('pytest' in sys.modules, 'openai_codex.testing.pytest_plugin' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_fixtures_drive_a_real_turn_without_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from openai_codex.testing import Reply, assert_model_received

        def test_hello(offline_model, codex, tmp_path):
            offline_model.enqueue(Reply.text("hi from the plugin"))
            result = codex.thread_start().run("Hello")
            assert result.final_response == "hi from the plugin"
            assert_model_received(offline_model, "Hello")
            assert (tmp_path / "codex-home" / "config.toml").exists()
        """
    )
    _run(pytester).assert_outcomes(passed=1)


def test_explicit_pytest_plugins_line_still_works(pytester: pytest.Pytester) -> None:
    """Suites written for the earlier opt-in (a conftest line) keep working."""
    pytester.makeconftest('pytest_plugins = ["openai_codex.testing.pytest_plugin"]\n')
    pytester.makepyfile(
        """
        from openai_codex import Codex
        from openai_codex.testing import Reply

        def test_hello(offline_model, offline_codex_config):
            offline_model.enqueue(Reply.text("hi"))
            with Codex(offline_codex_config) as codex:
                assert codex.thread_start().run("Hello").final_response == "hi"
        """
    )
    _run(pytester).assert_outcomes(passed=1)


def test_async_codex_on_asyncio_and_trio_and_closed_after(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from openai_codex.testing import Reply

        CLIENTS = []

        @pytest.fixture(params=["asyncio", "trio"])
        def anyio_backend(request):
            return request.param

        @pytest.mark.anyio
        async def test_turn(offline_model, async_codex):
            offline_model.enqueue(Reply.text("async hi"))
            thread = await async_codex.thread_start()
            result = await thread.run("Hello")
            assert result.final_response == "async hi"
            CLIENTS.append(async_codex)

        def test_closed_after():
            assert len(CLIENTS) == 2
            for client in CLIENTS:
                assert "closed" in repr(client), repr(client)
        """
    )
    _run(pytester, "-p", "no:randomly").assert_outcomes(passed=3)


def test_sync_client_and_model_are_closed_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import urllib.request, urllib.error
        import pytest
        from openai_codex.testing import Reply

        SEEN = {}

        def test_uses(offline_model, codex):
            offline_model.enqueue(Reply.text("ok"))
            codex.thread_start().run("go")
            SEEN["codex"] = codex
            SEEN["url"] = offline_model.base_url

        def test_after():
            assert "closed" in repr(SEEN["codex"]), repr(SEEN["codex"])
            with pytest.raises(urllib.error.URLError):
                urllib.request.urlopen(SEEN["url"] + "/models", timeout=5)
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_failing_test_report_shows_the_turn_transcript(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from openai_codex.testing import Reply

        def test_wrong_answer(offline_model, codex):
            offline_model.enqueue(
                Reply.shell("echo transcript-marker-42", call_id="c1"),
                Reply.text("the answer is 41"),
            )
            result = codex.thread_start().run("What is the answer?")
            assert result.final_response == "the answer is 42"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "codex transcript" in out
    section = out[out.index("codex transcript") :]
    assert "> What is the answer?" in section
    assert "$ echo transcript-marker-42" in section
    assert "the answer is 41" in section


def test_failing_async_test_report_shows_the_turn_transcript(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from openai_codex.testing import Reply

        @pytest.fixture
        def anyio_backend():
            return "trio"

        @pytest.mark.anyio
        async def test_wrong(offline_model, async_codex):
            offline_model.enqueue(Reply.text("async answer 41"))
            thread = await async_codex.thread_start()
            result = await thread.run("Async question?")
            assert result.final_response == "async answer 42"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    section = out[out.index("codex transcript") :]
    assert "> Async question?" in section
    assert "async answer 41" in section


def test_passing_test_has_no_transcript(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from openai_codex.testing import Reply

        def test_ok(offline_model, codex):
            offline_model.enqueue(Reply.text("fine"))
            assert codex.thread_start().run("x").final_response == "fine"
        """
    )
    result = _run(pytester, "-rA")
    result.assert_outcomes(passed=1)
    assert "codex transcript" not in result.stdout.str()


def test_codex_live_skips_without_a_key(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_live_client(codex):
            raise AssertionError("must not run without a key")

        def test_scripted(offline_model):
            raise AssertionError("scripted tests do not run live")

        @pytest.mark.codex_live
        def test_marked():
            raise AssertionError("needs the service")
        """
    )
    result = _run(pytester, "--codex-live", "-rs")
    result.assert_outcomes(skipped=3)
    out = result.stdout.str()
    assert "--codex-live needs an API key" in out
    assert "not run with --codex-live" in out


def test_codex_live_marker_skips_offline(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.codex_live
        def test_marked():
            raise AssertionError("needs the service")

        def test_plain():
            pass
        """
    )
    result = _run(pytester, "-rs", "--strict-markers")
    result.assert_outcomes(passed=1, skipped=1)
    assert "run with --codex-live" in result.stdout.str()


def test_assertion_helpers_pass_and_explain_failures(tmp_path: object) -> None:
    from openai_codex import Codex

    with OfflineModel() as model:
        model.enqueue(Reply.shell("echo helper-output-7", call_id="call-7"), Reply.text("done"))
        with Codex(model.codex_config(fresh_home=True)) as codex:
            codex.thread_start().run("Run the helper")
        assert_model_received(model, "Run the helper")
        item = assert_tool_output(model, "helper-output-7", call_id="call-7")
        assert item["call_id"] == "call-7"
        with pytest.raises(AssertionError, match="never received a user message containing"):
            assert_model_received(model, "something else")
        with pytest.raises(AssertionError, match=r"helper-output-7"):
            assert_tool_output(model, "not in any output")
        with pytest.raises(AssertionError, match="of call 'other'"):
            assert_tool_output(model, "helper-output-7", call_id="other")
