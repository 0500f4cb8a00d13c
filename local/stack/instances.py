"""Lambda's execution environments, locally: each function served by a pool of instance
processes, each with its own interpreter, the function's module loaded once, one event at a
time, and every AWS call it makes held to the function's role (local.harness.iam).

An instance that runs past the function's timeout, or whose process dies, is stopped and
replaced, as Lambda replaces one; an invocation that raised leaves its instance warm.
"""

import multiprocessing
import signal
import threading
import uuid
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from local.harness import template
from local.harness.runtime import LambdaContext, instance_handler

INSTANCES_PER_FUNCTION = 8
"""How many instances of one function may serve events at once (a pool's default limit)."""


def _serve_instance(
    logical_id: str, refs: dict[str, str], overrides: dict[str, str], connection: Connection
) -> None:
    """One execution environment: its own interpreter, the function loaded once, then one event
    at a time. Ctrl-C is left to the stack, which stops this process itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The emulator enforces no IAM; here a call the function's role does not grant is refused.
    handler, _ = instance_handler(logical_id, refs, overrides)
    connection.send(_READY)
    while True:
        try:
            event, context_fields = connection.recv()
        except EOFError:
            return
        try:
            connection.send((True, handler(event, LambdaContext(**context_fields))))
        except Exception as error:  # reported to the caller, as Lambda reports a failed invoke
            connection.send((False, (type(error).__name__, str(error))))


_READY = "ready"


class InvocationError(Exception):
    """The invocation failed, as Lambda reports it: the handler raised (`error_type` is the
    exception's class), or the runtime itself failed (Runtime.ExitError, Sandbox.Timedout)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.error_message = message


class InstanceLostError(InvocationError):
    """The instance is gone (its process died, or was stopped for running out of time)."""


class _Instance:
    """A running execution environment of one function (a child process)."""

    _spawn = multiprocessing.get_context("spawn")

    def __init__(
        self,
        function: template.Function,
        refs: Mapping[str, str],
        overrides: Mapping[str, str],
    ) -> None:
        self._connection, child = self._spawn.Pipe()
        self._process = self._spawn.Process(
            target=_serve_instance,
            args=(function.logical_id, dict(refs), dict(overrides), child),
            name=f"lambda-{function.logical_id}",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._ready = False

    def invoke(
        self, event: dict[str, Any], context_fields: dict[str, Any], timeout_seconds: float
    ) -> Any:
        """The handler's answer; InvocationError if it raised. The clock starts once the
        function is loaded (Lambda times its init apart). Past the timeout, or when the process
        died, InstanceLostError: the caller stops the instance, as Lambda stops it."""
        request_id = context_fields["aws_request_id"]
        try:
            if not self._ready:
                self._ready = self._connection.recv() == _READY
            self._connection.send((event, context_fields))
            if not self._connection.poll(timeout_seconds):
                raise InstanceLostError(
                    "Sandbox.Timedout",
                    f"RequestId: {request_id} Error: Task timed out after "
                    f"{timeout_seconds:.2f} seconds",
                )
            succeeded, value = self._connection.recv()
        except (EOFError, OSError) as error:
            self._process.join(timeout=5)
            code = self._process.exitcode
            how = f"signal: {-code}" if code is not None and code < 0 else f"exit status {code}"
            raise InstanceLostError(
                "Runtime.ExitError",
                f"RequestId: {request_id} Error: Runtime exited with error: {how}",
            ) from error
        if not succeeded:
            raise InvocationError(*value)
        return value

    def stop(self) -> None:
        self._connection.close()
        self._process.terminate()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)


class FunctionPool:
    """Warm instances of one function, each a process of its own like Lambda's execution
    environments (Powertools keeps the current event in class attributes, so two events must
    never share an interpreter).

    Each instance serves one event at a time; when every instance is busy, another is started
    (a cold start), up to `limit`, so concurrent requests run concurrently as they do on Lambda.
    """

    def __init__(
        self,
        function: template.Function,
        refs: Mapping[str, str],
        limit: int = INSTANCES_PER_FUNCTION,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        """`overrides`: environment variables that differ locally from what the template's
        environment resolves to (the authorizer's key set, served by the emulator)."""
        self.function = function
        self._refs = refs
        self._overrides = dict(overrides or {})
        self._idle: list[_Instance] = []
        self._all: list[_Instance] = []
        self._limit = limit
        self._lock = threading.Condition()

    def _acquire(self) -> _Instance:
        with self._lock:
            while not self._idle and len(self._all) >= self._limit:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            instance = _Instance(self.function, self._refs, self._overrides)
            self._all.append(instance)
            return instance

    def _release(self, instance: _Instance, healthy: bool) -> None:
        with self._lock:
            if healthy:
                self._idle.append(instance)
            else:
                self._all.remove(instance)
                instance.stop()
            self._lock.notify()

    def invoke(self, event: dict[str, Any], request_id: str | None = None) -> Any:
        """Run the event on an idle instance; a retry passes the request id of the first try."""
        instance = self._acquire()
        healthy = True
        try:
            return instance.invoke(
                event,
                {
                    "function_name": self.function.logical_id,
                    "memory_limit_in_mb": self.function.memory_mb,
                    "timeout_seconds": self.function.timeout_seconds,
                    "aws_request_id": request_id or str(uuid.uuid4()),
                },
                self.function.timeout_seconds,
            )
        except InstanceLostError:
            healthy = False  # the instance died or ran out of time, as a Lambda one can
            raise
        finally:
            self._release(instance, healthy)

    def stop(self) -> None:
        with self._lock:
            for instance in self._all:
                instance.stop()
            self._all.clear()
            self._idle.clear()
