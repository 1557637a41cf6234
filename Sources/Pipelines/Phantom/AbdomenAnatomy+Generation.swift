import Foundation

extension AbdomenAnatomy {
    /// Draws a study from `seed`: organ sizes and positions vary by a few percent, the vessels' course by a
    /// few millimetres, and 3 to 6 lesions of random kind (at least one HCC), diameter 8–40 mm, are placed
    /// inside the liver clear of the surface, the vessels and each other.
    public static func generate(seed: UInt64) -> AbdomenAnatomy {
        var random = CounterRandom(seed: seed, counter: 0xAB_D0_4E)
        func vary(_ value: Double, _ fraction: Double) -> Double { value * (1 + fraction * (2 * random.uniform() - 1)) }
        func jitter(_ mm: Double) -> Double { mm * (2 * random.uniform() - 1) }
        var shapes: [Shaped] = []
        func add(_ tissue: PhantomTissue, _ shape: PhantomShape) { shapes.append(Shaped(tissue: tissue, shape: shape)) }
        let z = -110.0...110.0
        // Body wall: subcutaneous fat, muscle ring, visceral fat.
        add(.fat, .cylinder(centre: SIMD2(0, 10), semiAxes: SIMD2(vary(165, 0.03), vary(125, 0.03)), zRange: z))
        add(.muscle, .cylinder(centre: SIMD2(0, 10), semiAxes: SIMD2(150, 112), zRange: z))
        add(.fat, .cylinder(centre: SIMD2(0, 10), semiAxes: SIMD2(140, 102), zRange: z))
        // Spine, canal, paraspinal muscles.
        add(.muscle, .cylinder(centre: SIMD2(-36, 96), semiAxes: SIMD2(22, 16), zRange: z))
        add(.muscle, .cylinder(centre: SIMD2(36, 96), semiAxes: SIMD2(22, 16), zRange: z))
        add(.bone, .cylinder(centre: SIMD2(0, 72), semiAxes: SIMD2(22, 20), zRange: z))
        add(.spinalCanal, .cylinder(centre: SIMD2(0, 99), semiAxes: SIMD2(9, 8), zRange: z))
        // Spleen and kidneys.
        add(.spleen, .ellipsoid(centre: SIMD3(vary(102, 0.03), 38 + jitter(4), 25 + jitter(6)),
                                semiAxes: SIMD3(vary(26, 0.05), vary(48, 0.05), vary(52, 0.05)), angle: -0.45))
        for side in [-1.0, 1.0] {
            add(.kidney, .ellipsoid(centre: SIMD3(side * 75, 66, -88 + jitter(4)), semiAxes: SIMD3(26, 20, 42), angle: side * 0.35))
        }
        add(.aorta, .cylinder(centre: SIMD2(20 + jitter(2), 34), semiAxes: SIMD2(12, 12), zRange: z))
        // Liver: a right lobe and a left lobe.
        let right = PhantomShape.ellipsoid(centre: SIMD3(-64 + jitter(3), -6 + jitter(3), jitter(4)),
                                           semiAxes: SIMD3(vary(66, 0.04), vary(76, 0.04), vary(84, 0.04)), angle: jitter(0.08))
        let left = PhantomShape.ellipsoid(centre: SIMD3(4 + jitter(3), -36 + jitter(3), 18 + jitter(4)),
                                          semiAxes: SIMD3(vary(58, 0.05), vary(34, 0.05), vary(48, 0.05)), angle: 0.3 + jitter(0.08))
        for lobe in [right, left] { add(.liver, lobe) }
        // Portal vein: trunk to the bifurcation, right and left branches with sectoral twigs.
        let bifurcationZ = -10 + jitter(6)
        let b = SIMD3(-20 + jitter(3), -4 + jitter(3), bifurcationZ)
        let rightPV = SIMD3(-82 + jitter(4), -6 + jitter(4), bifurcationZ + 3), leftPV = SIMD3(14 + jitter(3), -34 + jitter(3), bifurcationZ + 5)
        add(.portalVein, .tube(from: SIMD3(8, 22, -95), to: b, radius: 7))
        add(.portalVein, .tube(from: b, to: rightPV, radius: 5.5))
        add(.portalVein, .tube(from: rightPV, to: rightPV + SIMD3(-16, -28, -12), radius: 3.5))
        add(.portalVein, .tube(from: rightPV, to: rightPV + SIMD3(-14, 30, 10), radius: 3.5))
        add(.portalVein, .tube(from: b, to: leftPV, radius: 5))
        add(.portalVein, .tube(from: leftPV, to: leftPV + SIMD3(10, -22, 12), radius: 3.5))
        // IVC (through the liver's back) and the three hepatic veins from the confluence.
        let cava = SIMD2(-22 + jitter(2), 22 + jitter(2)), confluenceZ = 68 + jitter(4)
        add(.inferiorVenaCava, .cylinder(centre: cava, semiAxes: SIMD2(11.5, 11.5), zRange: z))
        let azimuths = SIMD3(Double.pi + 0.15 + jitter(0.08), 1.5 * .pi - 0.35 + jitter(0.08), 1.5 * .pi + 0.6 + jitter(0.08))
        let lengths = SIMD3(88.0, 84.0, 70.0), radii = SIMD3(5.0, 4.5, 4.0)
        let top = SIMD3(cava.x, cava.y, confluenceZ)
        for v in 0..<3 {
            let end = top + SIMD3(lengths[v] * cos(azimuths[v]), lengths[v] * sin(azimuths[v]), bifurcationZ + 5 - confluenceZ)
            add(.hepaticVein, .tube(from: top, to: end, radius: radii[v]))
        }
        let draft = AbdomenAnatomy(seed: seed, shapes: shapes, liverLobes: [right, left], cavaAxis: cava, confluenceZ: confluenceZ,
                                   hepaticVeinAzimuths: azimuths, portalBifurcationZ: bifurcationZ, lesions: [],
                                   phaseShifts: [], phaseRotations: [])
        let lesions = draft.placeLesions(&random)
        var shifts: [SIMD3<Double>] = [], rotations: [Double] = []
        for phase in ContrastPhase.acquisitionOrder {
            let still = phase == .portalVenous
            shifts.append(still ? .zero : SIMD3(jitter(3), jitter(3), jitter(2)))
            rotations.append(still ? 0 : jitter(1.5 * .pi / 180))
        }
        return AbdomenAnatomy(seed: seed, shapes: shapes, liverLobes: [right, left], cavaAxis: cava, confluenceZ: confluenceZ,
                              hepaticVeinAzimuths: azimuths, portalBifurcationZ: bifurcationZ, lesions: lesions,
                              phaseShifts: shifts, phaseRotations: rotations)
    }

    /// The tissue at `p` (portal venous frame), lesions excluded.
    public func tissue(at p: SIMD3<Double>) -> PhantomTissue {
        var tissue = PhantomTissue.air
        for s in shapes where s.shape.contains(p) { tissue = s.tissue }
        return tissue
    }

    /// True if `p` is inside the liver envelope (parenchyma, intrahepatic vessels, lesions), outside the IVC.
    public func inLiver(_ p: SIMD3<Double>) -> Bool {
        liverLobes.contains { $0.contains(p) } && tissue(at: p) != .inferiorVenaCava
    }

    /// Rejection sampling of lesion positions: each lesion and a 6 mm margin (plus its capsule) must lie in
    /// liver parenchyma, checked at the centre and 26 points on the enlarged ellipsoid.
    func placeLesions(_ random: inout CounterRandom) -> [PhantomLesion] {
        let count = 3 + random.below(4)
        var kinds = [PhantomLesionKind.hcc]
        while kinds.count < count { kinds.append(PhantomLesionKind.allCases[random.below(PhantomLesionKind.allCases.count)]) }
        var lesions: [PhantomLesion] = []
        var directions: [SIMD3<Double>] = []
        for x in -1...1 { for y in -1...1 { for z in -1...1 where x != 0 || y != 0 || z != 0 {
            let d = SIMD3(Double(x), Double(y), Double(z))
            directions.append(d / (d * d).sum().squareRoot())
        } } }
        for kind in kinds {
            for _ in 0..<2000 {
                let diameter = 8 + 32 * random.uniform()
                let a = diameter / 2, b = a * (0.75 + 0.25 * random.uniform()), c = min(a, b) * (0.8 + 0.2 * random.uniform())
                let angle = .pi * random.uniform()
                let centre = SIMD3(-130 + 190 * random.uniform(), -90 + 130 * random.uniform(), -70 + 150 * random.uniform())
                let lesion = PhantomLesion(number: lesions.count + 1, kind: kind, centre: centre, semiAxes: SIMD3(a, b, c), angle: angle)
                let margin = 6.0 + (kind.capsule != nil ? 1.5 : 0)
                let clear = ([SIMD3<Double>.zero] + directions).allSatisfy { d in tissue(at: centre + d * (a + margin)) == .liver }
                    && Self.ballPoints(radius: a + margin).allSatisfy { tissue(at: centre + $0) == .liver }
                let apart = lesions.allSatisfy { other in
                    let d = other.centre - centre
                    return (d * d).sum().squareRoot() > a + other.semiAxes.max() + 8
                }
                if clear && apart { lesions.append(lesion); break }
            }
        }
        return lesions
    }

    /// Points of a cubic lattice (pitch at most 3 mm, finer than the thinnest vessel) inside a ball of `radius` mm.
    static func ballPoints(radius: Double) -> [SIMD3<Double>] {
        let steps = Int((radius / 3).rounded(.up)), pitch = radius / Double(max(1, steps))
        var points: [SIMD3<Double>] = []
        for i in -steps...steps { for j in -steps...steps { for k in -steps...steps {
            let p = SIMD3(Double(i), Double(j), Double(k)) * pitch
            if (p * p).sum() <= radius * radius { points.append(p) }
        } } }
        return points
    }
}
