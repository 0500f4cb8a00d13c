"""Init without the cyclic garbage collector.

A function's module imports this before anything else and calls `ready()` once its
module-level setup is done. Init creates some 120,000 objects (pydantic, Powertools, the
models, the routes) that live as long as the execution environment. With the collector on,
CPython walks them again and again while they are being created (about 25 ms of an API
function's init) and once more, in full, at some later request (about 40 ms). `ready()` moves
them to the permanent generation, which collections skip, and turns the collector back on.
The few hundred cyclic garbage objects init leaves behind stay: some kilobytes.
"""

import gc

gc.disable()


def ready() -> None:
    """Freeze what init created and resume garbage collection."""
    gc.freeze()
    gc.enable()
