"""advisor-book's shared code, shipped to every function as a Lambda layer.

Handlers call the domain modules (`advisors`, `assignments`, `clients`, `imports`,
`ingest`); only `repository` talks to DynamoDB, and only `keys` knows the key layout.
"""
