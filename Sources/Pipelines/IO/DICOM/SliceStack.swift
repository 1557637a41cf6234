import Foundation

/// A series' slices ordered along the slice normal, with what is wrong with their spacing.
///
/// Slices are sorted by their position along the normal (Image Position · (row × column)), never by
/// Instance Number. Duplicated positions are dropped (the lowest Instance Number is kept), gaps and
/// uneven steps are measured against the median step, and a gantry tilt shows as slice positions
/// that move within the image plane from slice to slice.
public struct SliceStack: Sendable {
    /// The slices kept, in ascending position along `normal`.
    public let slices: [DicomInstance]
    /// Position of each kept slice along the normal (mm).
    public let positions: [Double]
    /// Unit row (x) and column (y) directions and the slice normal, LPS.
    public let rowDirection: SIMD3<Double>, columnDirection: SIMD3<Double>, normal: SIMD3<Double>
    /// In-plane pixel spacing (x, y) in mm.
    public let pixelSpacing: SIMD2<Double>
    /// Median distance between consecutive slices along the normal (mm; 0 for one slice).
    public let nominalSpacing: Double
    /// Angle between the slice-to-slice step and the normal (degrees): the gantry tilt.
    public let tiltDegrees: Double
    /// Problems found, each a sentence (empty for a clean, evenly spaced stack).
    public let issues: [String]

    /// True when the slices are evenly spaced with none missing (so they load without resampling).
    public var isUniform: Bool { !issues.contains { $0.hasPrefix("missing") || $0.hasPrefix("uneven") } }

    /// Steps that differ from the median by more than this fraction count as uneven (1 %, at least 0.01 mm).
    static let spacingTolerance = 0.01

    /// Orders and checks the instances of one series.
    /// - Throws: `DicomError` when the slices cannot form a volume (no geometry, mixed sizes or orientations, multi-frame).
    public init(_ instances: [DicomInstance], name: String) throws {
        guard let first = instances.first else { throw DicomError("\(name): no images") }
        guard let row = first.rowDirection, let column = first.columnDirection, let spacing = first.pixelSpacing else {
            throw DicomError("\(name): images have no Image Orientation (Patient) or Pixel Spacing")
        }
        let normal = cross(row, column)
        guard abs(dot(row, column)) < 1e-3 else { throw DicomError("\(name): row and column directions are not orthogonal") }
        for instance in instances {
            guard instance.frames == 1 else {
                throw DicomError("\(name): \(instance.path) holds \(instance.frames) frames (multi-frame images are not supported)")
            }
            guard instance.rows == first.rows, instance.columns == first.columns else {
                throw DicomError("\(name): images of \(first.columns)x\(first.rows) and \(instance.columns)x\(instance.rows) pixels are mixed")
            }
            guard let r = instance.rowDirection, let c = instance.columnDirection, let p = instance.pixelSpacing,
                  instance.position != nil else {
                throw DicomError("\(name): \(instance.path) lacks Image Position, Orientation or Pixel Spacing")
            }
            guard dot(r, row) > 1 - 1e-4, dot(c, column) > 1 - 1e-4 else {
                throw DicomError("\(name): images have different orientations (a localiser or a reformat mixed in?)")
            }
            guard abs(p.x - spacing.x) <= 1e-4 * spacing.x, abs(p.y - spacing.y) <= 1e-4 * spacing.y else {
                throw DicomError("\(name): images have different pixel spacings")
            }
        }
        let ordered = instances.sorted {
            let a = dot($0.position!, normal), b = dot($1.position!, normal)
            return a != b ? a < b : ($0.instanceNumber ?? 0, $0.path) < ($1.instanceNumber ?? 0, $1.path)
        }
        var kept: [DicomInstance] = [], positions: [Double] = [], issues: [String] = []
        var duplicates = 0
        for instance in ordered {
            let d = dot(instance.position!, normal)
            if let last = positions.last, abs(d - last) < 0.01 {
                duplicates += 1
                // Keep the lower Instance Number at a duplicated position.
                if (instance.instanceNumber ?? Int.max) < (kept.last!.instanceNumber ?? Int.max) { kept[kept.count - 1] = instance }
                continue
            }
            kept.append(instance)
            positions.append(d)
        }
        if duplicates > 0 { issues.append("duplicate positions: \(duplicates) slice(s) at an already occupied position were dropped") }
        let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }
        let nominal = steps.isEmpty ? 0 : steps.sorted()[steps.count / 2]
        var missing = 0, uneven = 0
        for step in steps where abs(step - nominal) > max(0.01, SliceStack.spacingTolerance * nominal) {
            let ratio = step / nominal
            if ratio > 1.5, abs(ratio - ratio.rounded()) < 0.1 { missing += Int(ratio.rounded()) - 1 } else { uneven += 1 }
        }
        if missing > 0 { issues.append("missing slices: \(missing) gap(s) of a whole multiple of the \(Self.format(nominal)) mm spacing") }
        if uneven > 0 { issues.append("uneven spacing: \(uneven) step(s) differ from the median \(Self.format(nominal)) mm by more than 1 %") }
        var tilt = 0.0
        if kept.count > 1 {
            let travel = kept.last!.position! - kept.first!.position!
            let along = dot(travel, normal)
            let across = travel - along * normal
            tilt = atan2((across * across).sum().squareRoot(), abs(along)) * 180 / .pi
        }
        if tilt > 0.01 { issues.append("gantry tilt: slices shift in plane, \(Self.format(tilt))° from the normal (geometry kept sheared)") }
        if let declared = first.gantryTilt, abs(declared) > 0.01, tilt <= 0.01 {
            issues.append("gantry tilt: the header declares \(Self.format(declared))° but the slice positions show none")
        }
        slices = kept
        self.positions = positions
        rowDirection = row; columnDirection = column; self.normal = normal
        pixelSpacing = spacing
        nominalSpacing = nominal
        tiltDegrees = tilt
        self.issues = issues
    }

    static func format(_ value: Double) -> String { String(format: "%.3g", value) }
}
