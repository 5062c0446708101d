"""Quality gates: Great Expectations suites per tier and for releases, and the runner that judges
them."""
