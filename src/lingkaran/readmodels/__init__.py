"""What the views read: case view, dashboard, stats, report content."""
