"""Importing a seed file, from the S3 event to the last record written.

events.py    what the ingest function's events ask for (uploads, continuations, failures)
importer.py  one import end to end: lease, structure pass, records, checkpoints, outcome
reader.py    the file as a stream of array elements, its depth and syntax checked as it goes
records.py   validated records and what is written for them
writer.py    the records written in batches on a pool of threads, and their decisions
report.py    the import's counts and first rejections, each cut to a bound
"""
