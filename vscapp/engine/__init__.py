"""The rules engine: reading rules files, the pace of each target, evaluation with
durable-rules. No Flask here: usable from the CLI, the web app, benchmarks and tests alike."""
