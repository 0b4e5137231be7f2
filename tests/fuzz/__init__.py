"""Fuzzing in bounded form for CI: mutated files into the parser, schemathesis against the API."""
