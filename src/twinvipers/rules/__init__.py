"""The rules: one mechanic per module, compiled with numba."""
