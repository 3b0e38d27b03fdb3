"""The edge: JSON reading and writing, CSV streaming and the command line.

Untrusted text and plain data become validated objects here (:mod:`~myoresponse.io.json`), tables
stream through :mod:`~myoresponse.io.csv`, and :mod:`~myoresponse.io.cli` is the ``myoresponse``
command. Depends on every other wing; nothing else imports from here.
"""
