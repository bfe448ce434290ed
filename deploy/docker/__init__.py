"""What the container image runs: the entrypoint (deploy/docker/entrypoint.py) and its health check."""
