"""Prometheus metrics of the app (docs/operations.md, "What is measured").

- `instruments`: every metric the app records, defined once;
- `middleware`: request count, latency, in-flight requests and database queries per route;
- `jobs`: the job queue's figures, read from procrastinate when /metrics is scraped;  # part: jobs
- `exposition`: the /metrics view (all workers aggregated) and who may read it;
- `processes`: the directory that granian's workers share their values through.

This package knows no app: the apps call the instruments where their domain decides.
"""
