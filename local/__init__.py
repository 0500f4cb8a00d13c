"""Developer tooling that never ships: template reading, event builders, in-process invocation."""
