/// Every benchmark `bloodbench` knows, in the order `--list` shows them.
let benchmarks: [Benchmark] = [
    decodeResizeBenchmark,
    hogBenchmark,
    pcaHOGBenchmark,
    pcaHOGFullBenchmark,
    tsneBenchmark,
    kmeansBenchmark,
    treeFitBenchmark,
    scatter17kBenchmark,
    CNNTrainBenchmark.size64,
    CNNTrainBenchmark.size224,
    CNNFitBenchmark.fit64,
    PretrainedModelBenchmarks.resnet18Train,
    PretrainedModelBenchmarks.vitB16Forward,
    PretrainedModelBenchmarks.lite0Features,
    PartitionBenchmark.resnet18,
    GEMMShapesBenchmark.benchmark,
]
