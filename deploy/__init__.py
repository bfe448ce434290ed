"""Deployment helpers: the scale-out topology on loopback (topology.py) and the soak test (soak.py)."""
