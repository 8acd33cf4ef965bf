"""Pure statistics core (no Django): summaries, small-cell suppression, noisy counts."""
