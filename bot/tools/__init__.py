"""What people run: start-up, training, the spaCy build, checks and reports."""
