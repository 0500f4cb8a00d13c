"""Generators of files, run by hand: `openapi` writes functions/docs/openapi.json (`make
openapi`), `sample_events` writes events/*.json (`make events`), both committed and checked for
drift by the tests; `generate_seed` writes synthetic seed files of any size for the tests, the
benchmarks and anyone trying the ingest; `env_json` writes env.json for `sam local invoke`
against a deployed stack (`make env-json`).
"""
