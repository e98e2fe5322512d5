"""Questions over ensemble results: outcome shares, timing, control, statistics."""
