import Foundation
import Testing
@testable import Hepatix

/// Per-lesion radiomics from the liver pipeline: two spherical lesions on a textured background give one
/// feature set each, numbered as labelled; the mesh volume and mean intensity match the analytic sphere and
/// texture; the bits do not depend on the thread count; bad labels are refused.
@Suite struct LesionRadiomicsTests {
    /// 48 x 48 x 24 voxels of 1 x 1 x 2 mm: a texture of mean 100 HU everywhere (so the ROI mean does not depend
    /// on how the 2 mm resampling cuts the edge), spheres of 8 mm (label 1) and 5 mm (label 2) radius.
    static func study() throws -> (PatientVolume, [UInt8]) {
        let (nx, ny, nz) = (48, 48, 24)
        var values: [Float] = [], labels: [UInt8] = []
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            values.append(100 + 20 * Float(sin(Double(i) * 0.9) * cos(Double(j) * 0.7 + Double(k))))
            let p = SIMD3(Double(i), Double(j), 2 * Double(k))
            let d1 = ((p - SIMD3(14, 14, 22)) * (p - SIMD3(14, 14, 22))).sum().squareRoot()
            let d2 = ((p - SIMD3(34, 32, 24)) * (p - SIMD3(34, 32, 24))).sum().squareRoot()
            labels.append(d1 <= 8 ? 1 : d2 <= 5 ? 2 : 0)
        } } }
        let volume = try PatientVolume(nx: nx, ny: ny, nz: nz, spacing: SIMD3(1, 1, 2), origin: .zero,
                                       axisI: SIMD3(1, 0, 0), axisJ: SIMD3(0, 1, 0), axisK: SIMD3(0, 0, 1), voxels: values)
        return (volume, labels)
    }

    @Test func featuresPerLesionMatchTheSpheres() throws {
        let (volume, labels) = try Self.study()
        let one = try LesionRadiomics(portal: volume, lesionNumber: labels, threads: 1)
        let two = try LesionRadiomics(portal: volume, lesionNumber: labels, threads: 2)
        #expect(one == two)
        #expect(one.configuration == "C" && one.lesions.map(\.number) == [1, 2])
        let big = try #require(one.lesions.first?.features)
        let volumeMM3 = try #require(big["morph.vol"]), sphere = 4.0 / 3 * Double.pi * 512
        // Voxelised at 1 x 1 x 2 mm and resampled to 2 mm: the mesh volume of an 8 mm sphere is within 15 %.
        #expect(abs(volumeMM3 / sphere - 1) < 0.15, "mesh volume \(volumeMM3) mm3 against \(sphere)")
        let mean = try #require(big["stat.mean"])
        // The texture's mean is 100 HU with amplitude 20; over some 270 resampled voxels its average stays within 5 HU.
        #expect(abs(mean - 100) < 5, "mean \(mean)")
        #expect(big.count > 400, "\(big.count) features")
    }

    @Test func refusesLabelsThatDoNotFillTheGrid() throws {
        let (volume, labels) = try Self.study()
        #expect(throws: RadiomicsError.self) { try LesionRadiomics(portal: volume, lesionNumber: Array(labels.dropLast())) }
        #expect(throws: RadiomicsError.self) { try LesionRadiomics(portal: volume, lesionNumber: labels, configuration: "phantom") }
    }
}
