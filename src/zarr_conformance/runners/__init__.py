"""Stage 3: plan the cells, drive the workers, compare against the oracle, apply expectations."""
