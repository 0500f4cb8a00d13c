"""Developer tooling that never ships, mostly in three packages: `harness`, what the tests, the
benchmarks and the local stack use to stand in for AWS around a handler (the template read,
its resources provisioned in an emulator, the role audit, Lambda's events and context, the
table checker); `stack`, the whole product on a laptop behind `make run` (the emulator, the
local API Gateway, function instances, queue drains, Cognito); and `tools`, the generators of
committed and synthetic files (the OpenAPI document, the sample events, seed files, env.json).
Beside them, `invoke` is `make invoke`: one function run once on an event file, as `sam local
invoke` would; `deployed` reads a deployed stack's name and outputs. See local/README.md for
what the stack reproduces of AWS and what it does not.
"""
