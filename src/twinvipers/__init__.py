"""twinvipers: a counterfactual World War II simulator."""

__version__ = "0.1.0"
