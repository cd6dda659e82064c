"""Pages of the clusters room: none of its own.

The cluster pages list each cluster's facilities, so they live a room up, in
``schemes/views.py``, and read the cluster's data through ``clusters.selectors``.
"""
