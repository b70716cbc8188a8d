"""A small task set and the offline model's script for it, shared by the runner tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openai_codex.testing import RecordedRequest, Reply

FIX = Reply.apply_patch(update={"app.py": ("VALUE = 1", "VALUE = 2")})


def write_repo(root: Path) -> Path:
    repo = root / "repo"
    repo.mkdir(parents=True, exist_ok=True)
    (repo / "app.py").write_text("VALUE = 1\n")
    return repo


def write_jsonl(path: Path, tasks: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(task) + "\n" for task in tasks))
    return path


def scripted(request: RecordedRequest) -> Reply:
    """``fix``: patch app.py; ``hang``: never finish; ``boom``: a server error;
    ``json``: ``{"n": 2}``; ``slow``: a reply streamed over ~0.6 s; anything else: a short
    text."""
    prompt = request.last_user_text or ""
    if request.function_call_outputs:
        return Reply.text("patched", deltas=2)
    if prompt.startswith("fix"):
        return FIX
    if prompt.startswith("hang"):
        return Reply.hang(partial_text="thinking")
    if prompt.startswith("boom"):
        return Reply.error(400, message="scripted refusal")
    if prompt.startswith("json"):
        return Reply.text('{"n": 2}')
    if prompt.startswith("slow"):
        return Reply.text(f"done: {prompt}", deltas=6, delay=0.1)
    return Reply.text(f"answer to {prompt}")
