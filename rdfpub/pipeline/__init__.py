"""The ingest path: a record prepared (mapped, validated), ordered, published; whole runs; validate reports."""
