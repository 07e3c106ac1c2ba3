// swift-tools-version:6.0
// bloodstudy: reproduces a documented blood-cell image study and publishes it as a static site.
// Targets are listed from the bottom of the stack up; a target imports only targets above it here.
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let mustache: Target.Dependency = .product(name: "Mustache", package: "swift-mustache")

var targets: [Target] = [
    // MARK: System libraries (module maps only; see docs in README "Building")
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas lapacke",
                   providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),

    // MARK: File operations that change the disk (atomic writes, plain-words errors, fault injection)
    .target(name: "DiskIO"),

    // MARK: Numerical core
    .target(name: "Tensor", dependencies: ["CBLAS"]),
    .target(name: "Imaging", dependencies: ["Tensor", "CTurboJPEG", "CPNG"]),
    .target(name: "Dataset", dependencies: ["Imaging", "Tensor", "DiskIO"]),
    .target(name: "Learn", dependencies: ["Tensor"]),
    .target(name: "Neural", dependencies: ["Tensor", "DiskIO"]),

    // MARK: Explanations of trained networks (SHAP)
    .target(name: "Explain", dependencies: ["Neural", "Imaging", "Tensor"]),

    // MARK: Figures and documents
    .target(name: "Plot", dependencies: ["Tensor", "CCairo"]),
    .target(name: "Report", dependencies: ["DiskIO", mustache]),

    // MARK: The study and its executables
    .target(name: "Study", dependencies: ["Tensor", "Imaging", "Dataset", "Learn", "Neural", "Explain", "Plot", "Report", "DiskIO"]),
    .executableTarget(name: "bloodstudy", dependencies: ["Study", argumentParser]),
    .executableTarget(name: "bloodbench", dependencies: ["Tensor", "Imaging", "Dataset", "Learn", "Neural", "Explain", "Plot",
                                                         "Study", argumentParser]),

    // MARK: Test support shared by the unit test bundles
    .target(name: "_TestSupport", dependencies: ["Tensor"], path: "Tests/_TestSupport"),
]

// MARK: Unit test bundles (one per module, beside the behaviour they pin down)
let testedModules: [(String, [Target.Dependency])] = [
    ("DiskIO", []), ("Tensor", []), ("Imaging", ["Tensor"]), ("Dataset", ["Imaging"]), ("Learn", ["Tensor"]),
    ("Neural", ["Tensor"]), ("Explain", ["Neural", "Tensor"]), ("Plot", ["Tensor"]), ("Report", []),
    ("Study", ["Report", "Plot", "Dataset", "Imaging", "Learn", "Neural", "Tensor"]),
    ("bloodstudy", ["Study", argumentParser]),
]
targets += testedModules.map { module, extra in
    .testTarget(name: "\(module)Tests", dependencies: [.target(name: module), "_TestSupport"] + extra)
}

let package = Package(
    name: "bloodstudy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bloodstudy", targets: ["bloodstudy"]),
        .executable(name: "bloodbench", targets: ["bloodbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: targets
)
