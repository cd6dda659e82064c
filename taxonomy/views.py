"""Pages of the vocabulary: none of its own; pages show processes and certificates in context."""
