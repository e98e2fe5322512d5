"""How the rules are compiled.

``kernel`` compiles a function that is only ever called from other compiled code: no Python
entry wrapper, whose unboxing of the World and State tuples (a hundred arrays) costs seconds of
compile time per function. Entry points called from Python (``engine.run_batch``, ``step``,
``reset``) keep ``numba.njit``. Both honour ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

from numba import njit

kernel = njit(cache=True, no_cpython_wrapper=True, no_cfunc_wrapper=True)

#: For a function that takes ``w`` or ``s`` whole and is either a small helper run in an inner
#: loop or a step of a rule split out for reading (one call site): inlined into its caller in
#: numba's IR. A call of a kernel that takes the whole World and State costs microseconds
#: (their ~170 arrays are passed and reference-counted one by one), so splitting a rule into
#: kernels made it slower (``battle.resolve`` 25 times, when its per-force tests were kernels).
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
