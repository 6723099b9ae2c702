"""Thermal slips: layouts, raster/text ESC/POS output and a persisted print queue (no Kivy)."""
