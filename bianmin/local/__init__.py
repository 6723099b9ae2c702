"""Records the kiosk keeps in its local store (UI-free): applications, ratings, complaints, queue, …"""
