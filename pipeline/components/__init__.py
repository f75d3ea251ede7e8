"""Custom spaCy components. Registered by :func:`pipeline.nlp.register_components`."""
