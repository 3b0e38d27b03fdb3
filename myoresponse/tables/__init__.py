"""Tables: whole cohorts and long visit tables scored column-wise with numpy.

Pairs of visits (:mod:`~myoresponse.tables.pairs`, :func:`myoresponse.score_many`) and long tables
of
visits per patient (:mod:`~myoresponse.tables.visits`, :func:`myoresponse.score_series_many`). Reads
dicts of columns or DataFrames, never JSON; the exact scalar core stays the reference.
"""
