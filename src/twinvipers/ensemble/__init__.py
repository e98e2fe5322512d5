"""Ensembles: assumption sampling, executors, the results store and resume."""
