"""A 10-task set run by ``openai_codex.tasks`` against the offline model.

    nox -s tasks-demo                      # or: python examples/tasks/demo.py [--out DIR]

The task set is written to the run directory: a small repository (``calc.py`` with a bug,
``README.md``) and ``tasks.jsonl`` with ten prompts, most with a check command. The
offline model (``openai_codex.testing.OfflineModel``) plays the agent from a script keyed
by prompt: it fixes the bug, adds files, runs commands, answers with structured output,
fixes the bug wrongly, refuses, fails with a server error, and once never finishes (that
task times out). The real Codex runtime applies every change in each task's fresh copy of
the repository; the check commands decide pass or fail. The last line is the summary,
and ``report.html`` in the run directory is the report page.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from openai_codex.tasks import run_tasks
from openai_codex.testing import OfflineModel, RecordedRequest, Reply

CALC = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
README = "# calc\n\nA tiny calculator.\n"
CHECK_ADD = "python3 -c 'import calc; assert calc.add(2, 3) == 5'"

# id, prompt, check, first reply (None: text only), final text, extra task fields
TASKS: list[dict[str, object]] = [
    {
        "id": "fix-add",
        "prompt": "calc.add subtracts. Fix it.",
        "check": CHECK_ADD,
    },
    {
        "id": "add-hello",
        "prompt": "Add hello.txt saying hello.",
        "check": "grep -q hello hello.txt",
    },
    {
        "id": "run-tests",
        "prompt": "Run calc.py's mul and report.",
        "check": "python3 -c 'import calc; assert calc.mul(2, 3) == 6'",
    },
    {
        "id": "readme-usage",
        "prompt": "Add a Usage section to README.md.",
        "check": "grep -q '## Usage' README.md",
    },
    {
        "id": "structured",
        "prompt": "How many functions does calc.py define? Answer as JSON.",
        "output_schema": {
            "type": "object",
            "properties": {"functions": {"type": "integer"}},
            "required": ["functions"],
            "additionalProperties": False,
        },
    },
    {
        "id": "add-sub",
        "prompt": "Add a sub function to calc.py.",
        "check": "python3 -c 'import calc; assert calc.sub(5, 3) == 2'",
    },
    {
        "id": "wrong-fix",
        "prompt": "calc.add is wrong; make add(2, 3) return 5.",
        "check": CHECK_ADD,
    },
    {
        "id": "refuses",
        "prompt": "Delete the repository's history.",
        "check": "test -f NOTES.md",
    },
    {
        "id": "server-error",
        "prompt": "Rename calc.py to calculator.py.",
        "check": "test -f calculator.py",
    },
    {
        "id": "never-ends",
        "prompt": "Prove the Riemann hypothesis in calc.py.",
        "check": "true",
        "timeout": 3,
    },
]

FIX_ADD = Reply.apply_patch(update={"calc.py": ("    return a - b", "    return a + b")})
SCRIPT: dict[str, tuple[Reply, str]] = {
    "calc.add subtracts. Fix it.": (FIX_ADD, "Fixed: add now adds."),
    "Add hello.txt saying hello.": (
        Reply.apply_patch(add={"hello.txt": "hello\n"}),
        "Added hello.txt.",
    ),
    "Run calc.py's mul and report.": (
        Reply.shell("python3 -c 'import calc; print(calc.mul(2, 3))'"),
        "mul(2, 3) is 6.",
    ),
    "Add a Usage section to README.md.": (
        Reply.apply_patch(
            update={
                "README.md": (
                    "A tiny calculator.",
                    "A tiny calculator.\n\n## Usage\n\n    import calc",
                )
            }
        ),
        "README.md has a Usage section now.",
    ),
    "Add a sub function to calc.py.": (
        Reply.apply_patch(
            update={
                "calc.py": (
                    "    return a * b",
                    "    return a * b\n\n\ndef sub(a, b):\n    return a - b",
                )
            }
        ),
        "Added sub.",
    ),
    "calc.add is wrong; make add(2, 3) return 5.": (
        Reply.apply_patch(update={"calc.py": ("    return a - b", "    return a * b")}),
        "add(2, 3) returns 5 now.",
    ),
}


def respond(request: RecordedRequest) -> Reply:
    """The offline model's answer for each task, by prompt."""
    prompt = request.last_user_text or ""
    if prompt.startswith("How many functions"):
        return Reply.text(json.dumps({"functions": 2}))
    if prompt.startswith("Delete the repository"):
        return Reply.text("I won't delete the repository's history.")
    if prompt.startswith("Rename calc.py"):
        return Reply.error(500, message="offline model: scripted server error")
    if prompt.startswith("Prove the Riemann"):
        return Reply.hang(partial_text="Let me think about this...")
    first, final = SCRIPT.get(prompt, (None, "Done."))
    if first is None or request.function_call_outputs:
        return Reply.text(final, deltas=3, delay=0.02)
    return first


def write_task_set(root: Path) -> Path:
    """The repository and ``tasks.jsonl`` under ``root``; returns the task file."""
    repo = root / "repo"
    repo.mkdir(parents=True, exist_ok=True)
    (repo / "calc.py").write_text(CALC)
    (repo / "README.md").write_text(README)
    path = root / "tasks.jsonl"
    with path.open("w") as file:
        for task in TASKS:
            file.write(json.dumps({"repo": "repo", **task}) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="the run directory (default: a new temporary one)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--progress", default="auto", choices=["auto", "rich", "plain", "none"])
    args = parser.parse_args()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="codex-tasks-demo-"))
    task_file = write_task_set(out / "task-set")
    with OfflineModel(default=respond) as model:
        config = model.codex_config(codex_home=out / "codex-home")
        summary = run_tasks(
            task_file,
            out=out / "run",
            config=config,
            concurrency=args.concurrency,
            progress=args.progress,
            title="Codex task run: the 10-task demo",
        )
    print(summary.line())


if __name__ == "__main__":
    main()
