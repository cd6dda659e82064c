"""Actions that change the vocabulary: none yet.

Processes, certification types, sectors and MSME limits are reference data, loaded by
``seeding`` and edited in the admin. What a limits revision sets off (reclassifying suppliers)
belongs to the room that owns suppliers: ``vendors.signals`` queues it.
"""
