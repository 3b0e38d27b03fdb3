"""Endpoints: what a trial or a case series reads from several visits or several definitions.

Visit series with their endpoints (:mod:`~myoresponse.endpoints.series`) and the earlier
IMACS/PRINTO
definitions of improvement (:mod:`~myoresponse.endpoints.definitions`). Built on the core scoring;
never reads JSON or imports numpy.
"""
