"""Starting points for PAL: BlenderBot-small and MiniLM conversions, the SmolLM2 base, adapter assembly."""
