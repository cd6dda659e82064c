"""The recommended allocation of open needs to suppliers '  free capacity."""
