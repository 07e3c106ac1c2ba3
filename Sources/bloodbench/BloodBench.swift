import ArgumentParser

/// `bloodbench NAME`: times one of our kernels and the Python reference on the same machine.
@main
struct BloodBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bloodbench",
        abstract: "Benchmark bloodstudy's kernels against the Python reference tools, side by side."
    )

    @Argument(help: "The benchmark to run (see --list).")
    var name: String?

    @Flag(help: "List the benchmarks.")
    var list = false

    @Flag(help: "Print one JSON line instead of a table.")
    var json = false

    @Option(help: "Folder of the PBC dataset, for benchmarks that read images.")
    var data: String?

    func run() throws {
        if list || name == nil {
            for b in benchmarks { print("\(b.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(b.summary)") }
            return
        }
        guard let bench = benchmarks.first(where: { $0.name == name }) else {
            throw ValidationError("No benchmark named '\(name!)'. Run 'bloodbench --list' to see them.")
        }
        let result = try bench.run(BenchmarkContext(dataPath: data))
        print(json ? result.jsonLine : result.table)
    }
}
