import Foundation

/// Rasterises an `AbdomenAnatomy` onto a voxel grid centred on the origin (LPS axes): a tissue code and a
/// lesion code per sample, shapes painted in order over their bounding boxes, slices in parallel
/// (each worker paints whole slices, so the result does not depend on the thread count).
struct PhantomPainter {
    let anatomy: AbdomenAnatomy
    let grid: VolumeGrid

    /// Centre of sample (i, j, k) in mm.
    func position(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        (SIMD3(Double(i), Double(j), Double(k)) - SIMD3(Double(grid.nx - 1), Double(grid.ny - 1), Double(grid.nz - 1)) / 2) * grid.spacing
    }

    /// Index range along one axis covering [low, high] mm.
    func range(_ low: Double, _ high: Double, axis: Int) -> ClosedRange<Int>? {
        let n = [grid.nx, grid.ny, grid.nz][axis], s = grid.spacing[axis], half = Double(n - 1) / 2
        let a = max(0, Int((low / s + half).rounded(.down))), b = min(n - 1, Int((high / s + half).rounded(.up)))
        return a <= b ? a...b : nil
    }

    /// Tissue codes (`PhantomTissue.rawValue`) and lesion codes (0, or 1 + 3·(number − 1) + part).
    func paint(threads: Int) -> (tissue: [UInt8], lesion: [UInt8]) {
        var tissue = [UInt8](repeating: 0, count: grid.count), lesion = [UInt8](repeating: 0, count: grid.count)
        let plane = grid.nx * grid.ny
        tissue.withUnsafeMutableBufferPointer { t in lesion.withUnsafeMutableBufferPointer { l in
            let (tissues, lesions) = (SendableMutablePointer(t.baseAddress!), SendableMutablePointer(l.baseAddress!))
            WorkerPool(threads: threads).forEach(items: grid.nz) { _, k in
                // Each worker writes only slice k.
                let t = tissues.pointer + k * plane, l = lesions.pointer + k * plane
                for shaped in anatomy.shapes {
                    let (low, high) = shaped.shape.bounds
                    guard let zs = range(low.z, high.z, axis: 2), zs.contains(k),
                          let ys = range(low.y, high.y, axis: 1), let xs = range(low.x, high.x, axis: 0) else { continue }
                    let code = shaped.tissue.rawValue
                    for j in ys { for i in xs where shaped.shape.contains(position(i, j, k)) { t[j * grid.nx + i] = code } }
                }
                for lesion in anatomy.lesions {
                    let (low, high) = lesion.bounds
                    guard let zs = range(low.z, high.z, axis: 2), zs.contains(k),
                          let ys = range(low.y, high.y, axis: 1), let xs = range(low.x, high.x, axis: 0) else { continue }
                    for j in ys { for i in xs {
                        let n = j * grid.nx + i
                        guard let part = lesion.part(at: position(i, j, k)) else { continue }
                        if part == .capsule && t[n] != PhantomTissue.liver.rawValue { continue }
                        t[n] = PhantomTissue.lesion.rawValue
                        l[n] = UInt8(1 + 3 * (lesion.number - 1)) + part.rawValue
                    } }
                }
            }
        } }
        return (tissue, lesion)
    }

    /// HU of a painted sample in `phase`.
    static func hounsfield(tissue: UInt8, lesion: UInt8, phase: ContrastPhase, lesions: [PhantomLesion]) -> Float {
        guard lesion > 0 else { return PhantomTissue(rawValue: tissue)!.hounsfield[phase.index] }
        let index = Int(lesion - 1) / 3, kind = lesions[index].kind
        switch PhantomLesion.LesionPart(rawValue: (lesion - 1) % 3)! {
        case .core: return kind.core[phase.index]
        case .rim: return kind.rim[phase.index]
        case .capsule: return kind.capsule![phase.index]
        }
    }
}
