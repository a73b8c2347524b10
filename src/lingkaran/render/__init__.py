"""Rich and plain renderables: ring, card, tables, report templates, drawings."""
