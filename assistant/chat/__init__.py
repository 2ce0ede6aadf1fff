"""Chat: sessions, the browser UI (the only gradio importer) and the server entry point."""
