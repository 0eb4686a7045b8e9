"""The bundled contract suite, replayed from cassettes recorded through the plugin."""
