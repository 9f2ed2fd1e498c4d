"""Who may reach what, across every layer: the access matrix over every URL pattern, objects of
one person tried by another, and mass assignment on the views' POSTs."""
