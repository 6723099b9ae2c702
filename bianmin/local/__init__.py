"""Kiosk-side records (applications, ratings, complaints): UI-free, committed locally first."""
