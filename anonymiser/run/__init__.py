"""Run a corpus of files: the phase chain as batched tasks on this process, N processes or Dask."""
