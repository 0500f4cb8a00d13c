"""The local stack's emulator (local.emulator) alone, in a process of its own, until terminated.

python -m bench.emulator PORT
"""

import signal
import sys
import threading

from local.emulator import Emulator


def main(argv: list[str]) -> int:
    (port,) = argv
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    emulator = Emulator("127.0.0.1", int(port))
    emulator.start()
    while not stopping.wait(timeout=1):  # a signal may land on any thread (see local.stack)
        pass
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
