"""Data shipped with khabar: rules, lexicons, gazetteers and models (see the README)."""
