import Foundation

/// A multiphase 2.5D network that proposes lesion voxels to `LesionDetector`: it reads the late arterial, portal
/// venous and delayed phases (and the unenhanced one before them, for a network of 12 input channels) together,
/// registered onto the portal venous grid (slices z-1, z, z+1 of each, in HU), and gives background and lesion
/// logits of slice z. The detector's own seed rules threshold one phase at a time;
/// a faint lesion at low dose can stay under every single-phase floor while its outline is there in every phase
/// with independent noise, which the network weighs together. Its proposals only add seeds and extent: every
/// candidate still passes the detector's vessel tests and size floors, and its features are measured as before.
/// Run on the same training grid as the liver network (1.5 x 1.5 x 2.5 mm along the patient's axes).
/// The shipped model (`Models/ct-lesion-seg-2.5d.onnx`, trained by `tools/segment/train_lesion_segmenter.py` on
/// phantom studies) is described in `Models/README.md`.
public struct CNNLesionSegmenter: Sendable {
    /// File name of the shipped model in the models folder.
    public static let shippedModelName = "ct-lesion-seg-2.5d.onnx"
    /// The phases a network of `inputChannels` input channels reads, in its input's order (three slices each):
    /// late arterial, portal venous and delayed (9), or unenhanced and those three (12); nil for other counts.
    public static func phases(inputChannels: Int) -> [ContrastPhase]? {
        switch inputChannels {
        case 9: return [.arterial, .portalVenous, .delayed]
        case 12: return [.unenhanced, .arterial, .portalVenous, .delayed]
        default: return nil
        }
    }

    /// The network: one input [1, 9 or 12, H, W], one output [1, 2, H, W].
    public let model: ONNXModel
    /// The phases it reads, in its input's order.
    public let phases: [ContrastPhase]
    /// Where the model came from, for the record (`LiverAnalysisResult.lesionNetwork`): the shipped model's file
    /// name, the path it was loaded from, or "in-memory model".
    public var modelName = "in-memory model"
    /// Worker threads (0: one per core); the result does not depend on it.
    public var threads = 0
    /// Lesion probability from which a voxel is proposed.
    public var threshold: Float = 0.5
    /// Smallest connected proposal kept, mm³. At a third of the dose the network also marks noise spots that look
    /// like small HCCs (brighter in the arterial, darker in the portal venous phase); on validation seeds 201-212
    /// those were at most 26 voxels (146 mm³) while every lesion of 10 mm or more it marked had a component of at
    /// least 30 voxels (169 mm³).
    public var minimumComponentMM3 = 150.0

    /// Wraps `model` after checking its interface.
    /// - Throws: `InferenceError` when the model does not take three or four phases of three slices (a fixed number of
    ///   input channels) and give two channels.
    public init(model: ONNXModel) throws {
        let channels: Int? = model.inputs.first?.shape.flatMap { $0.count == 4 ? $0[1] : nil }
        try SliceNetwork.checkInterface(of: model, inputChannels: channels ?? 9, outputChannels: 2, role: "lesion segmenter")
        guard let channels, let phases = Self.phases(inputChannels: channels) else {
            throw InferenceError("a lesion segmenter reads 9 input channels (arterial, portal venous, delayed) or 12 (unenhanced first); "
                                 + "this model's input has \(channels.map(String.init) ?? "no fixed number of") channels")
        }
        (self.model, self.phases) = (model, phases)
    }

    /// Loads the network at `path`, or the shipped one (see `ShippedModels`) when `path` is nil.
    /// - Throws: `InferenceError` for a missing, malformed or unsuitable model.
    public init(path: String? = nil) throws {
        try self.init(model: try ONNXModel(contentsOf: try path ?? ShippedModels.path(of: Self.shippedModelName)))
        modelName = path ?? Self.shippedModelName
    }

    /// Lesion probability of every voxel of the portal venous grid, from `phases` registered onto it.
    /// - Throws: `InferenceError` when a phase the network reads is missing, off the portal venous grid, holds
    ///   non-finite values, or the network fails.
    public func probability(_ phases: [ContrastPhase: PatientVolume]) throws -> [Float] {
        try CNNLiverSegmenter.foregroundProbability(model, of: try networkInputs(phases), threads: threads)
    }

    /// The volumes of the phases the network reads, in its input's order.
    /// - Throws: `InferenceError` when one is missing or off the portal venous grid.
    func networkInputs(_ phases: [ContrastPhase: PatientVolume]) throws -> [PatientVolume] {
        let volumes = try self.phases.map { phase in
            guard let volume = phases[phase] else { throw InferenceError("the lesion network needs the \(phase.slug) phase") }
            return volume
        }
        let portal = volumes[self.phases.firstIndex(of: .portalVenous)!]
        let onPortalGrid = volumes.allSatisfy {
            $0.nx == portal.nx && $0.ny == portal.ny && $0.nz == portal.nz && $0.spacing == portal.spacing && $0.origin == portal.origin
                && $0.axisI == portal.axisI && $0.axisJ == portal.axisJ && $0.axisK == portal.axisK
        }
        guard onPortalGrid else {
            throw InferenceError("the lesion network needs every phase registered onto the portal venous grid")
        }
        return volumes
    }

    /// The voxels the network proposes as lesion: probability above `threshold`, in connected components of at
    /// least `minimumComponentMM3`.
    /// - Throws: as `probability(_:)`.
    public func propose(_ phases: [ContrastPhase: PatientVolume]) throws -> [Bool] {
        let marked = try probability(phases).map { $0 > threshold }
        let grid = try phases[.portalVenous]!.voxelGrid()
        let components = ConnectedComponents(marked, grid: grid)
        let voxelMM3 = grid.spacing.x * grid.spacing.y * grid.spacing.z
        let kept = components.sizes.map { Double($0) * voxelMM3 >= minimumComponentMM3 }
        return components.labels.map { $0 > 0 && kept[Int($0) - 1] }
    }
}
