"""What tests use to stand in for AWS around a handler, read from template.yaml so nothing is
written twice: `template` reads the template, `provision` creates its resources in an emulator,
`iam` holds every AWS call to the calling function's role, `events` builds the events Lambda
receives, `runtime` loads a handler as Lambda does and makes its context, `emulator_process`
runs moto server apart, and `checker` proves a table's invariants. The local stack and the
benchmarks build on the same modules.
"""
