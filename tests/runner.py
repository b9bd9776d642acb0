"""A small stand-in for the GitHub Actions runner: it runs the steps of a composite action or of a
workflow job on this machine, the way the runner does.

Each ``run:`` step is a real ``bash`` process with the variables a runner gives
(``GITHUB_WORKSPACE``, ``GITHUB_BASE_REF``, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``,
``RUNNER_TEMP``, ...), its ``env:`` and ``working-directory:``; ``${{ }}`` expressions are
evaluated for the few forms actions use (``inputs.x``, ``steps.id.outputs.y``, ``github.x``,
``runner.x``, ``a == 'b'``, ``always()``). A ``uses:`` step is handed to the test, which does what
that action would do where it can run here (setting up Python is the test's own interpreter; a
cache restore is the folder kept between runs); the network is never needed.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Step:
    """What one step did."""

    name: str
    returncode: int
    stdout: str = ""
    stderr: str = ""
    skipped: bool = False


@dataclass
class Runner:
    workspace: Path
    temp: Path
    event: Mapping[str, str] = field(default_factory=dict)  # GITHUB_BASE_REF and the like
    summary: Path = field(init=False)
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.temp.mkdir(parents=True, exist_ok=True)
        self.summary = self.temp / "step-summary.md"

    def context(self, inputs: Mapping[str, str], outputs: Mapping[str, Mapping[str, str]]) -> Any:
        return {
            "inputs": inputs,
            "steps": {name: {"outputs": values} for name, values in outputs.items()},
            "github": {
                "workspace": str(self.workspace),
                "run_id": "1001",
                "base_ref": self.event.get("GITHUB_BASE_REF", ""),
                "action_path": self.event.get("GITHUB_ACTION_PATH", ""),
            },
            "runner": {"temp": str(self.temp), "os": "Linux"},
        }

    def run_steps(
        self,
        steps: list[dict[str, Any]],
        inputs: Mapping[str, str],
        uses: Callable[[str, dict[str, str], Any], dict[str, str] | int | None],
        action_path: Path | None = None,
    ) -> tuple[int, dict[str, dict[str, str]]]:
        """Run ``steps`` in order; a failed step skips the rest but ``if: always()`` ones.
        ``uses(action, with, context)`` plays a ``uses:`` step and returns its outputs or an
        exit code. Returns the first failure's exit code (0 when all passed) and the outputs."""
        outputs: dict[str, dict[str, str]] = {}
        failed = 0
        for index, step in enumerate(steps):
            name = step.get("name") or step.get("uses") or f"step {index + 1}"
            ctx = self.context(inputs, outputs)
            if action_path is not None:
                ctx["github"]["action_path"] = str(action_path)
            condition = str(step.get("if", "success()"))
            if not _truthy(evaluate(condition, ctx, failed)):
                self.steps.append(Step(name, 0, skipped=True))
                continue
            if "uses" in step:
                with_ = {k: substitute(text(v), ctx) for k, v in step.get("with", {}).items()}
                result = uses(step["uses"], with_, ctx)
                code = result if isinstance(result, int) else 0
                if isinstance(result, dict) and "id" in step:
                    outputs[step["id"]] = result
                self.steps.append(Step(name, code))
            else:
                code, values = self._shell(step, ctx)
                if "id" in step:
                    outputs[step["id"]] = values
            failed = failed or code
        return failed, outputs

    def _shell(self, step: dict[str, Any], ctx: Any) -> tuple[int, dict[str, str]]:
        output_file = self.temp / "github-output"
        output_file.write_text("")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))},
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
            **self.event,
            **{k: substitute(text(v), ctx) for k, v in step.get("env", {}).items()},
        }
        cwd = substitute(str(step.get("working-directory", self.workspace)), ctx)
        script = self.temp / "step.sh"
        script.write_text(step["run"])
        assert step.get("shell", "bash") == "bash", "only bash steps are played here"
        done = subprocess.run(  # as the runner runs `shell: bash`
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=Path(self.workspace, cwd),
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            stdin=subprocess.DEVNULL,
        )
        self.steps.append(
            Step(str(step.get("name", "run")), done.returncode, done.stdout, done.stderr)
        )
        values = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        return done.returncode, values


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def text(value: Any) -> str:
    """A YAML value as the runner reads it: `false` is the string "false"."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def substitute(template: str, ctx: Any) -> str:
    """Replace each ``${{ expression }}`` in ``template`` by its value."""
    return _EXPRESSION.sub(lambda m: text(evaluate(m.group(1), ctx)), template)


def evaluate(expression: str, ctx: Any, failed: int = 0) -> Any:
    """The value of the expressions actions use here: a dotted name, a 'string', ``a == b``,
    ``always()`` and ``success()``."""
    expression = _EXPRESSION.sub(lambda m: m.group(1), expression.strip())
    if expression == "always()":
        return True
    if expression == "success()":
        return not failed
    if "==" in expression:
        left, right = (evaluate(part, ctx) for part in expression.split("==", 1))
        return str(left) == str(right) and not failed
    if expression.startswith("'") and expression.endswith("'"):
        return expression[1:-1]
    value = ctx
    for part in expression.split("."):
        value = value.get(part, "") if isinstance(value, Mapping) else ""
    return value


def _truthy(value: Any) -> bool:
    return bool(value) and value != "false"
