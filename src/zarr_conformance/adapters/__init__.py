"""Stage 2: one folder per implementation (spec.py, environment manifest, worker program, README),
the launchers that build environments and start workers, and the registry that finds the folders."""
