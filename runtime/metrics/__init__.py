"""Observability: counters, windows, snapshots, history, the stream health score and post-stream reports."""
