"""What Rasa loads by name (credentials.yml, endpoints.yml, config.yml): channels, stores, NLU components, patches."""
