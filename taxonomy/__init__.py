"""The shared vocabulary both sides of the market speak: the bottom room of the house.

Capability categories and processes (a supplier offers them, a need asks for them), certification
types, units, materials, strategic sectors, MSME categories and their dated limits, and how
figures read in English and Hindi (``formatting``, with the ``indian`` template filters). It imports
no other app; every other app may import it.
"""
