"""The service catalogue: centers, departments and their service items (事项)."""
