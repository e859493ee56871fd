"""What-if analysis: sweeps over parameters and paired comparisons of variants."""
