from __future__ import annotations

import subprocess
import sys


def test_fresh_import_does_not_load_importlib_metadata() -> None:
    """``__version__`` is resolved on first access (PEP 562), from the installed metadata."""
    code = (
        "import sys\n"
        "import openai_codex_transport as t\n"
        "print('importlib.metadata' in sys.modules, 'email' in sys.modules)\n"
        "version = t.__version__\n"
        "print('importlib.metadata' in sys.modules, vars(t).get('__version__') == version)\n"
        "from importlib.metadata import version as dist_version\n"
        "print(version == dist_version('openai-codex-transport'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["False", "False", "True", "True", "True"]


def test_import_is_cheap() -> None:
    """Importing the package loads neither asyncio, ssl, subprocess, importlib.metadata, anyio's
    submodules (typing_extensions with them) nor pathlib, beyond what ``import anyio`` loads."""
    code = (
        "import sys, anyio\n"
        "heavy = ('asyncio', 'ssl', 'subprocess', 'importlib.metadata', 'websockets', 'trio',\n"
        "         'anyio.abc', 'anyio.streams.memory', 'typing_extensions', 'pathlib')\n"
        "before = {m for m in heavy if m in sys.modules}\n"
        "import openai_codex_transport\n"
        "print(','.join(m for m in heavy if m in sys.modules and m not in before))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_public_names() -> None:
    import openai_codex_transport as t

    for name in t.__all__:
        assert getattr(t, name) is not None, name
    from openai_codex_transport import __version__

    assert __version__ == t.__version__
