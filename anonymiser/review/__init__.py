"""Review: what needs a human look, the decisions taken on it, and the private HTML report."""
