/// Every benchmark `bloodbench` knows, in the order `--list` shows them.
let benchmarks: [Benchmark] = [PretrainedModelBenchmarks.resnet18Train, PretrainedModelBenchmarks.vitB16Forward]
