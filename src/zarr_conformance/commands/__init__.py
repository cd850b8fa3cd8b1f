"""The CLI commands, one module each; they print, the stages below them never do."""
