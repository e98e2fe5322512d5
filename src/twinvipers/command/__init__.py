"""The powers' decision-making: operational orders (and, later, strategic choices)."""
