"""Import of casualty records from CSV or HXL-tagged CSV (issue 18 split it along its seams).

`spec`: the columns a file may hold and how its header is read; `checks`: the full checks of a row; `fast`: the
fast path for rows that need no message; `writer`: the import itself (all or nothing) and the worker's job run;
`updates`: rows naming a record already kept; `jobs`: how an import job ends and how far it got.
"""
