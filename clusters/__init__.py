"""Geography and clusters: states, districts with their GeoNames coordinates, the industrial
clusters and Rare Earth Corridors, and their shared infrastructure.

Above taxonomy, below everything else: the scheme's facilities sit in clusters and suppliers in
districts, but this room knows nothing of either. ``geo.py`` holds India's bounding box and the
great-circle distance the matcher's radius rule uses; ``data/`` the generated district files.
"""
