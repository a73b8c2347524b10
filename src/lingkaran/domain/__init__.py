"""The cycle and its gates, vocabularies, parsing typed values, GAS, domains: pure, no I/O."""
