"""Background work: enqueueing after commit without failing a request, the registry of work
waiting in the database, and the periodic sweep that sends it again after a broker outage.

May import: the rest of the platform; no app built on it (they register their pending work).
"""
