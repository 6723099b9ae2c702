"""Server operations shared by the API, the CLI, the console and the tests."""
