"""The municipality's side of a tender: the list and editor, the tender, evaluation, protocol."""
