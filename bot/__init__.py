"""The Community Justice Assistant's own package: content, rendering, start-up and web serving."""
