"""Stage 4: results.json (the contract), the HTML report, the terminal summary."""
