"""One invocation in an execution environment of its own: a spawned process holding the
function's template environment, its role audit and a Lambda context, held to its timeout."""

import json
import multiprocessing
import os
import resource
import sys
import time
import traceback
import uuid
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from local.harness import template
from local.harness.runtime import LambdaContext, instance_handler

INIT_ALLOWANCE_SECONDS = 600  # a safety net for loading the function, never a measure


@dataclass(frozen=True)
class Outcome:
    """One invocation, as Lambda reports it: the response, or the error response of a handler
    that raised (or a runtime that failed), and the calls the role refused."""

    function: str
    request_id: str
    response: Any = None
    error: dict[str, Any] | None = None
    denials: tuple[str, ...] = ()
    duration_ms: float = 0.0
    max_memory_mb: int = 0


_READY = "ready"


def _execution_environment(
    logical_id: str,
    refs: dict[str, str],
    event: dict[str, Any],
    request_id: str,
    log_file: str | None,
    connection: Connection,
) -> None:
    """The child process: loads the function, runs the event once, sends back what happened.
    Its logs go to stderr (or to `log_file`), apart from the response."""
    if log_file is not None:
        sink = os.open(log_file, os.O_WRONLY | os.O_APPEND)
        os.dup2(sink, 2)
    os.dup2(2, 1)
    handler, audit = instance_handler(logical_id, refs)
    function = template.functions()[logical_id]
    connection.send(_READY)
    context = LambdaContext(
        function_name=logical_id,
        memory_limit_in_mb=function.memory_mb,
        timeout_seconds=function.timeout_seconds,
        aws_request_id=request_id,
    )
    response: str | None = None
    error: dict[str, Any] | None = None
    try:
        # Lambda sends the caller the response serialized as JSON.
        response = json.dumps(handler(event, context))
    except TypeError as raised:
        error = {"errorType": "Runtime.MarshalError", "errorMessage": str(raised)}
    except Exception as raised:  # reported as Lambda reports an unhandled error
        traceback.print_exc()
        error = {
            "errorType": type(raised).__name__,
            "errorMessage": str(raised),
            "requestId": request_id,
            "stackTrace": traceback.format_tb(raised.__traceback__),
        }
    sys.stdout.flush()
    sys.stderr.flush()
    max_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    connection.send((response, error, [str(d) for d in audit.denied], max_memory_mb))


def _failed(logical_id: str, request_id: str, error_type: str, why: str, started: float) -> Outcome:
    """An invocation the runtime ended, as Lambda reports it."""
    message = f"RequestId: {request_id} Error: {why}"
    return Outcome(
        logical_id,
        request_id,
        error={"errorType": error_type, "errorMessage": message},
        duration_ms=(time.monotonic() - started) * 1000,
    )


def invoke_once(
    logical_id: str, event: dict[str, Any], refs: dict[str, str], *, log_file: str | None = None
) -> Outcome:
    """Run the function once on the event in a new execution environment (a spawned process),
    held to the function's timeout once it is loaded, as Lambda holds it. Its logs go to
    stderr, or to the end of `log_file`."""
    function = template.functions()[logical_id]
    request_id = str(uuid.uuid4())
    spawn = multiprocessing.get_context("spawn")
    connection, child = spawn.Pipe()
    process = spawn.Process(
        target=_execution_environment,
        args=(logical_id, refs, event, request_id, log_file, child),
        name=f"lambda-{logical_id}",
        daemon=True,
    )
    process.start()
    child.close()
    started = time.monotonic()
    try:
        if not connection.poll(INIT_ALLOWANCE_SECONDS) or connection.recv() != _READY:
            raise EOFError
        started = time.monotonic()
        if not connection.poll(function.timeout_seconds):
            why = f"Task timed out after {function.timeout_seconds:.2f} seconds"
            return _failed(logical_id, request_id, "Sandbox.Timedout", why, started)
        response, error, denials, max_memory_mb = connection.recv()
    except (EOFError, OSError):
        process.join(timeout=10)
        why = f"Runtime exited with error: exit status {process.exitcode}"
        return _failed(logical_id, request_id, "Runtime.ExitError", why, started)
    finally:
        connection.close()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=10)
    return Outcome(
        logical_id,
        request_id,
        response=json.loads(response) if response is not None else None,
        error=error,
        denials=tuple(denials),
        duration_ms=(time.monotonic() - started) * 1000,
        max_memory_mb=max_memory_mb,
    )
