"""How the rules are compiled.

``kernel`` compiles a function that is only ever called from other compiled code: no Python
entry wrapper, whose unboxing of the World and State tuples (a hundred arrays) costs seconds of
compile time per function. Entry points called from Python (``engine.run_batch``, ``step``,
``reset``) keep ``numba.njit``. Both honour ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

from numba import njit

kernel = njit(cache=True, no_cpython_wrapper=True, no_cfunc_wrapper=True)

#: For a one-line helper that takes ``w`` or ``s`` whole and runs in an inner loop: inlined into
#: its callers in numba's IR. A call of a kernel that takes the whole World and State costs
#: microseconds (numba increments and decrements the reference count of each of their ~170
#: arrays), which turned ``battle.resolve`` 25 times slower when its per-force tests were kernels.
inline = njit(cache=True, inline="always", no_cpython_wrapper=True, no_cfunc_wrapper=True)


@kernel
def copy1(dst, src):
    """``dst[:] = src`` for 1-d arrays (a loop compiles faster than a slice assignment)."""
    for i in range(dst.shape[0]):
        dst[i] = src[i]


@kernel
def copy2(dst, src):
    """``dst[:, :] = src`` for 2-d arrays."""
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = src[i, j]


@kernel
def fill1(dst, value):
    """``dst[:] = value`` for 1-d arrays."""
    for i in range(dst.shape[0]):
        dst[i] = value


@kernel
def fill2(dst, value):
    """``dst[:, :] = value`` for 2-d arrays."""
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = value
