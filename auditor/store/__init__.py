"""The audit store: a SQLite file recording every run, report, finding and review decision.

`db.py` opens it (WAL, migrations, clear errors), `writes.py` records runs and reports,
`recheck.py` compares a report with its body's earlier audit (复核), `reviews.py` keeps
inspectors' decisions, `queries.py` reads history, exports and last year's source.
"""
