/// Every benchmark `bloodbench` knows, in the order `--list` shows them.
let benchmarks: [Benchmark] = [
    decodeResizeBenchmark,
    hogBenchmark,
    pcaHOGBenchmark,
    tsneBenchmark,
    kmeansBenchmark,
    scatter17kBenchmark,
    CNNTrainBenchmark.size64,
    CNNTrainBenchmark.size224,
    CNNFitBenchmark.fit64,
    PretrainedModelBenchmarks.resnet18Train,
    PretrainedModelBenchmarks.vitB16Forward,
    PartitionBenchmark.resnet18,
]
