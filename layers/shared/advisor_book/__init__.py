"""advisor-book's shared code, shipped to every function as a Lambda layer.

Handlers call the domain modules (`advisors`, `assignments`, `clients`, `imports`, `ingest`),
which decide; only the `store` package talks to DynamoDB, and only `keys` knows the key
layout. `http`, `admission`, `auth`, `cursors` and `conditional` are the HTTP edge every API
function shares.
"""
