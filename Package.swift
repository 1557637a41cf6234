// swift-tools-version: 6.1
// Hepatix: CPU CT reconstruction, inference and liver analysis with a C ABI.
// Layers (ARCHITECTURE.md): system shims -> HepatixKernels (+ per-ISA tiers) -> Hepatix -> HepatixCAPI / hepatix CLI.
import PackageDescription

/// The AVX2+FMA tier is its own module compiled for x86-64-v3 (Haswell); it is only entered after
/// CPUID confirms AVX2 and FMA, so the rest of the package stays portable x86-64.
let avx2Tier: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-Xcc", "-march=haswell", "-Xcc", "-mtune=znver3"])]

/// DCMTK (and OpenJPEG for JPEG 2000) libraries behind the CDICOM shim: network, SEG/SR writers, decoders.
let dicomLibraries: [LinkerSetting] = ["dcmnet", "dcmseg", "dcmfg", "dcmiod", "cmr", "dcmsr", "dcmjpls", "dcmtkcharls", "dcmjpeg", "ijg8", "ijg12", "ijg16", "dcmimgle",
                                       "dcmdata", "oflog", "ofstd", "openjp2", "z"].map { .linkedLibrary($0) }

let package = Package(
    name: "Hepatix",
    products: [
        .library(name: "Hepatix", targets: ["Hepatix"]),
        .library(name: "hepatix", type: .dynamic, targets: ["HepatixCAPI"]),
        .executable(name: "hepatix-cli", targets: ["hepatix"]),
    ],
    dependencies: [
        // ONNX model files are protobuf: the generated message code (Sources/Pipelines/Inference/ONNX) needs the runtime.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CKernels", path: "Sources/CKernels"),
        .target(name: "CDICOM", path: "Sources/CDICOM", linkerSettings: dicomLibraries),
        .target(name: "HepatixKernelsAVX2", dependencies: ["CKernels"], path: "Sources/KernelsAVX2",
                swiftSettings: avx2Tier),
        .target(name: "HepatixKernels", dependencies: ["CFFTW", "CBLAS", "CKernels", "HepatixKernelsAVX2"],
                path: "Sources/Kernels", swiftSettings: [.unsafeFlags(["-Ounchecked"])]),
        .target(name: "Hepatix", dependencies: ["HepatixKernels", "CZlib", "CDICOM", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Sources/Pipelines"),
        .target(name: "CHepatix", path: "Sources/CHepatix"),
        .target(name: "HepatixCAPI", dependencies: ["Hepatix", "CHepatix"], path: "Sources/CAPI", exclude: ["hepatix.map"],
                linkerSettings: [.unsafeFlags(["-Xlinker", "-soname=libhepatix.so.0",
                                                 "-Xlinker", "--version-script=Sources/CAPI/hepatix.map"])]),
        .executableTarget(name: "hepatix", dependencies: ["Hepatix"], path: "Sources/hepatix",
                         linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath=$ORIGIN"])]),
        // libFuzzer harness over the ONNX loader and engines (scripts/fuzz-onnx.sh); a corpus replayer otherwise.
        .executableTarget(name: "onnx-fuzzer", dependencies: ["Hepatix"], path: "Fuzz/ONNX"),
        .testTarget(name: "KernelsTests", dependencies: ["HepatixKernels", "HepatixKernelsAVX2", "CKernels"]),
        .testTarget(name: "HepatixTests", dependencies: ["Hepatix"]),
        .testTarget(name: "CAPITests", dependencies: ["HepatixCAPI", "CHepatix"]),
    ],
    cxxLanguageStandard: .cxx17
)
