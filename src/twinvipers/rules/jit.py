"""How the rules are compiled.

``kernel`` compiles a function that is only ever called from other compiled code: no Python
entry wrapper, whose unboxing of the World and State tuples (a hundred arrays) costs seconds of
compile time per function. Entry points called from Python (``engine.run_batch``, ``step``,
``reset``) keep ``numba.njit``. Both honour ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

from numba import njit

kernel = njit(cache=True, no_cpython_wrapper=True, no_cfunc_wrapper=True)
