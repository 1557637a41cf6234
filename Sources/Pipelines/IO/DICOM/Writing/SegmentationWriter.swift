import CDICOM

/// One segment of a DICOM Segmentation: what it is (coded category and type), how it was made, and its
/// mask on the source volume's grid (one byte per voxel, non-zero inside, i fastest, slices ascending
/// along the normal like `DicomSeriesLoader` returns them).
public struct SegmentDefinition: Sendable {
    public var label: String
    public var description: String
    public var category: CodedConcept
    public var type: CodedConcept
    public var algorithmName: String
    public var colour: DisplayColour
    /// Tracking identifier and UID (for lesions followed over time and referenced from the SR), or nil.
    public var tracking: (id: String, uid: String)?
    public var mask: [UInt8]

    public init(label: String, description: String = "", category: CodedConcept, type: CodedConcept,
                algorithmName: String, colour: DisplayColour, tracking: (id: String, uid: String)? = nil, mask: [UInt8]) {
        (self.label, self.description, self.category, self.type) = (label, description, category, type)
        (self.algorithmName, self.colour, self.tracking, self.mask) = (algorithmName, colour, tracking, mask)
    }

    /// The liver as a segment.
    public static func liver(mask: [UInt8], algorithm: String) -> SegmentDefinition {
        SegmentDefinition(label: "Liver", category: .anatomicalStructure, type: .liver, algorithmName: algorithm,
                          colour: DisplayColour(221, 130, 101), mask: mask)
    }

    /// A liver lesion with its tracking identity.
    public static func lesion(_ name: String, trackingUID: String, mask: [UInt8], algorithm: String) -> SegmentDefinition {
        SegmentDefinition(label: name, description: "Liver observation \(name)", category: .morphologicallyAbnormalStructure,
                          type: .lesion, algorithmName: algorithm, colour: DisplayColour(255, 220, 0),
                          tracking: (name, trackingUID), mask: mask)
    }
}

/// Writes binary DICOM Segmentation objects (through DCMTK dcmseg) that reference the slices of the
/// series they were drawn on: one frame per slice where a segment is present, each carrying the source
/// slice's position and a derivation reference to it (spatial locations preserved), patient / study /
/// frame of reference copied from the source, coded segment categories and types.
public enum SegmentationWriter {
    /// The algorithm version written with every segment.
    static let algorithmVersion = BuildInfo.versionString

    /// Writes `segments` drawn on `stack` to `path`.
    /// - Throws: `DicomError` when the stack was resampled (its voxel grid has slices no file holds), a
    ///   mask does not match the grid, or the writer fails (the message names the cause).
    public static func write(_ segments: [SegmentDefinition], on stack: SliceStack, identity: DicomObjectIdentity,
                             to path: String) throws {
        guard stack.isUniform else {
            throw DicomError("cannot write a segmentation on a resampled series (\(stack.issues.joined(separator: "; "))): frames must match source slices")
        }
        guard !segments.isEmpty else { throw DicomError("no segments to write") }
        let voxels = stack.slices[0].rows * stack.slices[0].columns * stack.slices.count
        for segment in segments where segment.mask.count != voxels {
            throw DicomError("segment \"\(segment.label)\": mask has \(segment.mask.count) voxels, the series has \(voxels)")
        }
        let arena = CStringArena()
        let sources = stack.slices.map { Optional(arena.string($0.path)) }
        let dimensionUID = DicomUID.make()
        try withMasks(segments) { masks in
            let specs = zip(segments, masks).map { segment, mask in
                let lab = segment.colour.dicomCIELab
                return cdicom_segment(label: arena.string(segment.label), description: arena.string(segment.description),
                                      category: arena.code(segment.category), type: arena.code(segment.type),
                                      algorithm_name: arena.string(segment.algorithmName),
                                      algorithm_version: arena.string(algorithmVersion), cielab: (lab.0, lab.1, lab.2),
                                      tracking_id: segment.tracking.map { arena.string($0.id) },
                                      tracking_uid: segment.tracking.map { arena.string($0.uid) }, mask: mask)
            }
            let scheme = arena.hepatixScheme()
            let usesPrivateCodes = segments.contains { $0.type.scheme == HepatixCodingScheme.designator }
            var request = cdicom_seg_request(
                source_paths: arena.array(sources), source_count: sources.count, segments: arena.array(specs),
                segment_count: specs.count, identity: arena.identity(identity), content_label: arena.string("SEGMENTATION"),
                content_description: arena.string("Hepatix liver segmentation"), content_creator: arena.string("Hepatix^"),
                dimension_organization_uid: arena.string(dimensionUID), schemes: usesPrivateCodes ? arena.array([scheme]) : nil,
                scheme_count: usesPrivateCodes ? 1 : 0, output_path: arena.string(path))
            try CStringArena.call("writing segmentation \(path)") { cdicom_write_segmentation(&request, $0, $1) }
        }
    }

    /// Calls `body` with stable pointers to every segment's mask bytes.
    private static func withMasks(_ segments: [SegmentDefinition], _ body: ([UnsafePointer<UInt8>]) throws -> Void) throws {
        var pointers: [UnsafePointer<UInt8>] = []
        func nest(_ index: Int) throws {
            if index == segments.count { return try body(pointers) }
            try segments[index].mask.withUnsafeBufferPointer { buffer in
                pointers.append(buffer.baseAddress!)
                try nest(index + 1)
            }
        }
        try nest(0)
    }
}
