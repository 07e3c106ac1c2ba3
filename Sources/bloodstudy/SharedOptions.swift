import ArgumentParser
import Foundation
import Study

/// Options every subcommand understands.
struct SharedOptions: ParsableArguments {
    @Option(help: "Folder of the PBC dataset (one sub-folder per class). Defaults to $BLOODSTUDY_DATA, else data/PBC_dataset_normal_DIB.")
    var data: String?

    @Option(help: "How much of the study to run: smoke (CI, minutes), cpu (whole study within an hour on 2 cores) or paper (the documented settings).")
    var profile: Profile = .cpu

    @Option(help: "Folder the site is written to.")
    var out: String = "site"

    @Option(help: "Folder for cached intermediate results.")
    var cache: String = ".cache"

    @Option(help: "Folder holding pretrained weights (see 'bloodstudy fetch-weights').")
    var weights: String = "weights"

    @Option(help: "Seed for every random choice of the run.")
    var seed: UInt64 = 42

    /// Whether the dataset folder is the built-in default (no `--data`, no `$BLOODSTUDY_DATA`).
    var isDefaultDataLocation: Bool {
        data == nil && (ProcessInfo.processInfo.environment["BLOODSTUDY_DATA"] ?? "").isEmpty
    }

    /// The dataset folder after applying the documented fallbacks.
    var resolvedData: URL {
        if let data { return URL(fileURLWithPath: data) }
        if let env = ProcessInfo.processInfo.environment["BLOODSTUDY_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: "data/PBC_dataset_normal_DIB")
    }
}

extension Profile: ExpressibleByArgument {}
