"""The store owner's channel: the serving process's side, and the store other local processes reach through it."""
