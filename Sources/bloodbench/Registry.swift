/// Every benchmark `bloodbench` knows, in the order `--list` shows them.
let benchmarks: [Benchmark] = [
    decodeResizeBenchmark,
    hogBenchmark,
    pcaHOGBenchmark,
    tsneBenchmark,
    kmeansBenchmark,
    scatter17kBenchmark,
]
