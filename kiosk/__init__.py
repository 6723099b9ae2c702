"""The Kivy touchscreen app. Screens are thin: they show state and call UI-free code."""
