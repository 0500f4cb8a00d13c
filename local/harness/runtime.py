"""A function's handler as Lambda's Python runtime gives it: its module loaded with the
function's environment from the template, and the context object it is called with.

The tests and the benchmarks call handlers this way in their own process; the local stack's
instances (local.stack.instances) and `make invoke` (local.invoke) each run one in a process of
its own, made an execution environment of the function by `instance_handler`.
"""

import importlib.util
import os
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from local.harness import iam, template

Handler = Callable[[dict[str, Any], Any], Any]


def function_arn(name: str) -> str:
    """A local function's ARN, in the emulator's region and account."""
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_seconds: float = 10.0
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return function_arn(self.function_name)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


def load_handler(
    logical_id: str,
    refs: Mapping[str, str],
    module_suffix: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> tuple[ModuleType, Handler]:
    """Import the function's module fresh, with its template environment set first (and
    `overrides`, what differs locally, over it).

    Module-level code (settings, AWS clients) runs now, as at a Lambda cold start.
    """
    function = template.functions()[logical_id]
    os.environ.update(function.resolved_environment(refs))
    os.environ.update(overrides or {})
    module_name, attribute = function.handler.rsplit(".", 1)
    path = function.code_uri / f"{module_name}.py"
    spec = importlib.util.spec_from_file_location(f"functions.{module_suffix or logical_id}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    handler: Handler = getattr(module, attribute)
    return module, handler


def instance_handler(
    logical_id: str, refs: Mapping[str, str], overrides: Mapping[str, str] | None = None
) -> tuple[Handler, iam.RoleAudit]:
    """This process made one of the function's execution environments: the other functions'
    variables removed, every AWS call held to the function's role (the audit returned keeps
    what it refused), and its module loaded (with `overrides` in its environment)."""
    others = {name for f in template.functions().values() for name in f.environment}
    for name in others - set(template.functions()[logical_id].environment):
        os.environ.pop(name, None)
    audit = iam.RoleAudit.enforce_in_this_process(logical_id, refs)
    _, handler = load_handler(logical_id, refs, overrides=overrides)
    return handler, audit
