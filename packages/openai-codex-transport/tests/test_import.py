from __future__ import annotations

import subprocess
import sys


def test_import_is_cheap() -> None:
    """Importing the package loads neither asyncio, ssl, subprocess nor importlib.metadata
    (beyond what the installed anyio itself imports)."""
    code = (
        "import sys, anyio\n"
        "heavy = ('asyncio', 'ssl', 'subprocess', 'importlib.metadata', 'websockets', 'trio')\n"
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
