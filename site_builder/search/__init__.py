"""Search: the static sharded index for the browser and the Whoosh index for `diary search`, one analyzer."""
