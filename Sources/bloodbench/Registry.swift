/// Every benchmark `bloodbench` knows, in the order `--list` shows them.
<<<<<<< HEAD
let benchmarks: [Benchmark] = [scatter17kBenchmark]
=======
let benchmarks: [Benchmark] = [decodeResizeBenchmark]
>>>>>>> imaging
