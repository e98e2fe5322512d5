"""Faces that read the results store: maps, plots and the HTML report."""
