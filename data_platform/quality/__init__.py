"""Quality gates: Great Expectations suites per tier and the runner that judges partitions."""
