"""Daily monitoring: the alert digest and retention."""
