"""What-if analysis: sweeps over parameters and paired comparisons of variants.

- `runner`: the API (`sweep`, `compare`, `run_job`, `Options`) returning a `summary.Summary`;
- `fork`: `run_from_session`, futures forked from a live exercise (for the UI);
- `plan`: points and seeds; `sweepfile`: sweep files with exact errors;
- `execute`: chunks on this process, a local pool or Dask; `jobs`: what a worker runs;
- `stats`, `summary`, `compare`: streaming statistics; `tables`, `rawcsv`, `plots`, `progress`:
  what they become; `cli`: `hotline sweep` and `hotline compare`.

Nothing here imports Textual, and numpy, matplotlib and Dask load only when used.
"""
