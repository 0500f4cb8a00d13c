"""Init without the cyclic garbage collector.

A function's module imports this before anything else and calls `ready()` once its
module-level setup is done. Init creates over a hundred thousand objects (pydantic,
Powertools, the models, the routes) that live as long as the execution environment. With the
collector on, CPython walks them again and again while they are being created, and once more,
in full, at some later request. `ready()` moves them to the permanent generation, which
collections skip, and turns the collector back on. The few hundred cyclic garbage objects
init leaves behind stay. What this saves is measured in docs/performance.md.
"""

import gc

gc.disable()


def ready() -> None:
    """Freeze what init created and resume garbage collection."""
    gc.freeze()
    gc.enable()
