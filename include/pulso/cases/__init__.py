"""The PQRS case workflow: review actions in the UI and returned case registers."""
