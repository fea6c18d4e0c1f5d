"""A plugin module that fails to import, as a broken third-party plugin would."""

raise ImportError("this plugin is broken on purpose")
