"""The kernel: configuration, paths, periods, privacy, SQL files, vocabulary."""
