"""One module per network API, each an `ApiSource` declaring its streams (see registry.py)."""
