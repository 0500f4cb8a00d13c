"""moto server, embedded in the local stack's process, with DynamoDB's guarantees and without
moto's dashboard memory; its other differences from AWS are made good by local.stack.fidelity.

    python -m local.stack.emulator PORT   # alone, in a process of its own, until terminated

moto's DynamoDB backend checks a write's conditions and then applies it without a lock, so two
concurrent requests can both pass a condition that only one of them should. Real DynamoDB never
allows that: conditional writes are atomic and transactions serializable. The emulator here
runs DynamoDB requests one at a time (every other service stays concurrent), so concurrent
assignments against the local stack meet the same guarantees as in AWS.
"""

import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.core.model_instances import model_data
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

from local.stack import fidelity

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SerializedDynamoDB:
    """WSGI middleware: one DynamoDB request at a time, response body included; every request
    is marked as the emulator's while it is served (see local.stack.fidelity)."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        fidelity.serving.active = True
        try:
            if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_"):
                return self._app(environ, start_response)
            with self._lock:
                try:
                    return list(self._app(environ, start_response))
                finally:
                    # moto keeps every item copy it makes for its dashboard, which nothing here
                    # reads; without this a long-running stack grows by gigabytes.
                    for model in model_data["dynamodb"].values():
                        tracked: list[Any] = getattr(model, "instances_tracked", [])
                        tracked.clear()
        finally:
            fidelity.serving.active = False


class Emulator:
    """moto server on host:port in a thread of this process."""

    def __init__(self, host: str, port: int) -> None:
        fidelity.install()
        app = SerializedDynamoDB(DomainDispatcherApplication(create_backend_app))
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="emulator", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def main(argv: list[str]) -> int:
    """The emulator alone on 127.0.0.1:PORT until interrupted or terminated, for measurements
    that keep it apart from what they measure (local.harness.emulator_process)."""
    (port,) = argv
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    emulator = Emulator("127.0.0.1", int(port))
    emulator.start()
    while not stopping.wait(timeout=1):  # a signal may land on any thread (see local.stack.run)
        pass
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
