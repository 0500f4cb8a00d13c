"""Data access: the only code that talks to DynamoDB, one module per aggregate over a small core.

    core.py        the table: items on the wire, batches with retries, transactions, pages
    items.py       how stored items read back as domain records
    directory.py   advisors: one, and the available or all of them
    book.py        an advisor's clients, one client, a client's history
    assignment.py  the assignment transaction, one small function per item it writes
    ingest.py      what an import writes, and the membership copies it brings in step
    imports.py     import reports and the lease on them
    preferences.py advisors' notification preferences

The domain decides and the store executes: it is handed what to write and what must still
hold (a `Move`, a client's copy and the revision it replaces), and answers with what DynamoDB
said (a page, a record, `StaleReadError` naming the conditions that failed). Every key and
index attribute comes from `keys`.
"""
