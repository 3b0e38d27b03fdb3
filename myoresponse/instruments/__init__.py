"""Instruments: the clinical scores that feed the core set measures.

MMT-8 (:mod:`~myoresponse.instruments.mmt8`), HAQ-DI and CHAQ (:mod:`~myoresponse.instruments.haq`,
:mod:`~myoresponse.instruments.chaq`, sharing the Stanford disability index) and glucocorticoid
doses (:mod:`~myoresponse.instruments.steroids`). Depends only on the kernel (errors, exact
numbers);
the core imports from here, never the reverse.
"""
