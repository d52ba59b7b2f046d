"""Timeliness accountability (办法: bureaus that report late are held to account): per bureau
and period, how many records were filed, how many published on time or late against the
five-working-day deadline, how long publication took, and what is overdue now; rolled up the
bureau hierarchy, ranked, drawn as a trend, exported as XLSX and printed on A4."""
