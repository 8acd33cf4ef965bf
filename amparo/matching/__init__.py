"""The batch matcher: a pure core that assigns pending help requests to attorneys."""
