"""Runs a function's handler in this process, as Lambda would: its module loaded once with the
function's environment from the template, and called with an event and a Lambda context.
"""

import importlib.util
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from local import template

Handler = Callable[[dict[str, Any], Any], Any]


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
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


def load_handler(
    logical_id: str, refs: Mapping[str, str], module_suffix: str | None = None
) -> tuple[ModuleType, Handler]:
    """Import the function's module fresh, with its template environment set first.

    Module-level code (settings, AWS clients) runs now, as at a Lambda cold start.
    """
    function = template.functions()[logical_id]
    os.environ.update(function.resolved_environment(refs))
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


_LOADING = threading.Lock()


class FunctionPool:
    """Warm instances of one function, like Lambda's execution environments.

    Each instance serves one event at a time; when every instance is busy, another is loaded
    (a cold start), up to `limit`, so concurrent requests run concurrently as they do on Lambda.
    """

    def __init__(
        self,
        function: template.Function,
        refs: Mapping[str, str],
        extra_environment: Mapping[str, str] | None = None,
        limit: int = 8,
    ) -> None:
        self.function = function
        self._refs = refs
        self._extra = dict(extra_environment or {})
        self._idle: list[Handler] = []
        self._loaded = 0
        self._limit = limit
        self._lock = threading.Condition()

    def _load(self) -> Handler:
        with _LOADING:
            others = {name for f in template.functions().values() for name in f.environment} - set(
                self.function.environment
            )
            for name in others:
                os.environ.pop(name, None)
            os.environ.update(self._extra)
            suffix = f"{self.function.logical_id}.{uuid.uuid4().hex[:8]}"
            return load_handler(self.function.logical_id, self._refs, module_suffix=suffix)[1]

    def _acquire(self) -> Handler:
        with self._lock:
            while not self._idle and self._loaded >= self._limit:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            self._loaded += 1
        try:
            return self._load()
        except BaseException:
            with self._lock:
                self._loaded -= 1
                self._lock.notify()
            raise

    def _release(self, handler: Handler) -> None:
        with self._lock:
            self._idle.append(handler)
            self._lock.notify()

    def invoke(self, event: dict[str, Any], request_id: str | None = None) -> Any:
        """Run the event on an idle instance; a retry passes the request id of the first try."""
        handler = self._acquire()
        try:
            context = LambdaContext(
                function_name=self.function.logical_id,
                memory_limit_in_mb=self.function.memory_mb,
                timeout_seconds=self.function.timeout_seconds,
                aws_request_id=request_id or str(uuid.uuid4()),
            )
            return handler(event, context)
        finally:
            self._release(handler)
