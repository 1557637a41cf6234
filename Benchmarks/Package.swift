// swift-tools-version: 6.1
// Hepatix benchmarks: a separate package so that library users never build benchmark code.
import PackageDescription

let package = Package(
    name: "HepatixBenchmarks",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "KernelBench", dependencies: [.product(name: "Hepatix", package: "main")],
                          path: "Sources/KernelBench"),
    ]
)
