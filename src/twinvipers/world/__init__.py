"""Geography and the compiled world: arrays indexed by integer ids."""
