import Foundation

extension AbdomenAnatomy {
    /// The same patient with an HCC invading the portal vein (the LI-RADS LR-TIV case): the study's first HCC is
    /// moved beside the anterior sectoral branch of the right portal vein, grown into it, and a tumour thrombus
    /// of its tissue fills that branch's lumen from 15 % to 62 % of its length, so the branch's distal part is cut
    /// off from the rest of the portal tree. Lesions that would crowd the moved HCC are dropped and the rest
    /// renumbered from 2. Returns the anatomy unchanged if it has no HCC or no such branch.
    public func withTumourInVein() -> AbdomenAnatomy {
        let branches = shapes.filter { $0.tissue == .portalVein }.compactMap { shaped -> (SIMD3<Double>, SIMD3<Double>, Double)? in
            if case let .tube(a, b, r) = shaped.shape { return (a, b, r) }
            return nil
        }
        guard branches.count > 2, let hcc = lesions.first(where: { $0.kind == .hcc }) else { return self }
        let (start, end, radius) = branches[2]
        let length = ((end - start) * (end - start)).sum().squareRoot()
        let along = (end - start) / length
        var across = SIMD3(along.y, -along.x, 0)
        across /= max(1e-9, (across * across).sum().squareRoot())
        // In-plane radius 8 mm; the lesion reaches 3 mm into the lumen, on the side with more liver around it.
        let semiAxes = SIMD3(8.0, 8.0, 7.0), offset = semiAxes.x + radius - 3
        let middle = start + 0.4 * length * along
        let side = [1.0, -1.0].max { a, b in
            func liverPoints(_ sign: Double) -> Int {
                Self.ballPoints(radius: semiAxes.x + 4).filter { tissue(at: middle + sign * offset * across + $0) == .liver }.count
            }
            return liverPoints(a) < liverPoints(b)
        }!
        let centre = middle + side * offset * across
        let thrombus = PhantomShape.tube(from: start + 0.15 * length * along, to: start + 0.62 * length * along, radius: radius + 0.5)
        var moved = [PhantomLesion(number: 1, kind: .hcc, centre: centre, semiAxes: semiAxes, angle: 0, veinTumour: thrombus)]
        for other in lesions where other != hcc {
            let d = other.centre - centre
            guard (d * d).sum().squareRoot() > semiAxes.max() + other.semiAxes.max() + 8 else { continue }
            moved.append(PhantomLesion(number: moved.count + 1, kind: other.kind, centre: other.centre, semiAxes: other.semiAxes,
                                       angle: other.angle, veinTumour: other.veinTumour))
        }
        return AbdomenAnatomy(seed: seed, shapes: shapes, liverLobes: liverLobes, cavaAxis: cavaAxis, confluenceZ: confluenceZ,
                              hepaticVeinAzimuths: hepaticVeinAzimuths, portalBifurcationZ: portalBifurcationZ, lesions: moved,
                              phaseShifts: phaseShifts, phaseRotations: phaseRotations)
    }
}
