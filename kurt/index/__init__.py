"""The local index: sections, entities, topics, content types, clusters."""
