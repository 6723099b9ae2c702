"""Server-wide settings and helpers."""
