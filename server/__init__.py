"""The central server: sync API, agent console and public tracking pages (FastAPI)."""
