import Foundation

extension CNNLesionSegmenter {
    /// What the network's decision on one lesion rests on, by occlusion (Zeiler and Fergus) on the lesion's widest slice
    /// of the network's grid: the lesion's mean probability there, how much of it each phase carries, and where.
    /// Occluded pixels are made liver: they take the liver's median HU of their phase, so a fall says how much the
    /// network needed that image region (or phase) to differ from the liver.
    public struct Evidence: Sendable {
        /// The network's mean lesion probability over the lesion's pixels on the slice (the same probability its
        /// proposals threshold) and, for each phase it reads, the fall of it (a fraction; negative: a rise) when the
        /// lesion and a one-pixel ring around it take the liver's HU in that phase only (slices z-1, z, z+1).
        public let measured: LiverAnalysisResult.NetworkEvidence
        /// The slice around the lesion (portal venous image on the network's grid), the lesion probability, and the
        /// fall of the mean probability when each `patch` x `patch` square takes the liver's HU in every phase.
        public let map: OcclusionMap
    }

    /// The evidence of every lesion in `lesions` (voxel indices on the portal venous grid of `phases`), from `phases`
    /// registered onto that grid (the input `propose` was given) and the liver mask on it, in the order of `lesions`;
    /// nil for a lesion with no pixel on the network's grid. `reach` pixels around the lesion's box are mapped in squares
    /// of `patch` pixels.
    /// `progress(done, total)` runs between lesions and may return false to cancel.
    /// - Throws: `InferenceError` as `probability(_:)`, or "cancelled".
    public func evidence(_ phases: [ContrastPhase: PatientVolume], lesions: [[Int]], liver: [Bool], patch: Int = 4,
                         reach: Int = 12, progress: ((Int, Int) -> Bool)? = nil) throws -> [Evidence?] {
        let volumes = try networkInputs(phases)
        let portal = volumes[self.phases.firstIndex(of: .portalVenous)!]
        let levels = volumes.map { volume in
            Float(LiverSegmenter.median(liver.indices.compactMap { liver[$0] ? Double(volume.voxels[$0]) : nil }))
        }
        let inputs = try volumes.map { try CNNLiverSegmenter.onTrainingGrid($0, threads: threads) }
        let grid = inputs[0].0
        let network = SliceNetwork(model: model, outputChannels: 2, multiple: CNNLiverSegmenter.sizeMultiple)
        let plan = try InferencePlan(model, threads: threads)
        let layout = SliceNetwork.Layout(grid, multiple: CNNLiverSegmenter.sizeMultiple)
        let plane = layout.width * layout.height
        return try lesions.enumerated().map { index, voxels in
            if let progress, index > 0, !progress(index, lesions.count) { throw InferenceError("cancelled") }
            let mask = try Self.onNetworkGrid(voxels, portal: portal, threads: threads)
            let k = LiverAnalyzer.widestSlice(of: mask, plane: grid.nx * grid.ny)
            // Lesion pixels on slice k, in the layout's coordinates (row-major in the padded tensor plane).
            var pixels: [Int] = []
            for j in layout.box.y { for i in layout.box.x where mask[(k * grid.ny + j) * grid.nx + i] {
                pixels.append((j - layout.box.y.lowerBound) * layout.width + i - layout.box.x.lowerBound)
            } }
            guard !pixels.isEmpty else { return nil }
            let given = layout.input(inputs.map(\.0), slice: k)
            func lesionProbability(_ input: [Float]) throws -> [Float] {
                CNNLiverSegmenter.foreground(try network.evaluate(plan, input, layout, slice: k), plane: plane)
            }
            func average(_ p: [Float]) -> Double { pixels.reduce(0.0) { $0 + Double(p[$1]) } / Double(pixels.count) }
            func mean(_ input: [Float]) throws -> Double { average(try lesionProbability(input)) }
            func made(liver covered: [Int], phases: Range<Int>) -> [Float] {
                var input = given
                for v in phases { for c in 0..<3 { for p in covered { input[(3 * v + c) * plane + p] = levels[v] } } }
                return input
            }
            let base = try lesionProbability(given)
            let probability = average(base)
            func fall(_ p: Double) -> Double { probability > 0 ? (probability - p) / probability : 0 }
            let ring = Self.dilated(pixels, width: layout.width, height: layout.height)
            let phaseFalls = try self.phases.indices.map { v in
                LiverAnalysisResult.PhaseFall(phase: self.phases[v].slug, fall: fall(try mean(made(liver: ring, phases: v..<v + 1))))
            }
            // The mapped square: the lesion's pixel box widened by `reach`, inside the patient's box.
            let (rows, columns) = (pixels.map { $0 / layout.width }, pixels.map { $0 % layout.width })
            let y = max(0, rows.min()! - reach)..<min(layout.box.y.count, rows.max()! + reach + 1)
            let x = max(0, columns.min()! - reach)..<min(layout.box.x.count, columns.max()! + reach + 1)
            var sensitivity = [Float](repeating: 0, count: x.count * y.count)
            for y0 in stride(from: y.lowerBound, to: y.upperBound, by: patch) {
                for x0 in stride(from: x.lowerBound, to: x.upperBound, by: patch) {
                    let square = (y0..<min(y0 + patch, y.upperBound)).flatMap { row in (x0..<min(x0 + patch, x.upperBound)).map { row * layout.width + $0 } }
                    let f = Float(fall(try mean(made(liver: square, phases: 0..<volumes.count))))
                    for p in square { sensitivity[(p / layout.width - y.lowerBound) * x.count + p % layout.width - x.lowerBound] = f }
                }
            }
            let (i0, j0) = (layout.box.x.lowerBound + x.lowerBound, layout.box.y.lowerBound + y.lowerBound)
            let pv = inputs[self.phases.firstIndex(of: .portalVenous)!].0
            var image = [Float](), crop = [Float]()
            for row in y { for column in x {
                image.append(pv.voxels[(k * grid.ny + layout.box.y.lowerBound + row) * grid.nx + layout.box.x.lowerBound + column])
                crop.append(base[row * layout.width + column])
            } }
            let slice = try PatientVolume(nx: x.count, ny: y.count, nz: 1, spacing: grid.spacing,
                                          origin: grid.position(i: Double(i0), j: Double(j0), k: Double(k)),
                                          axisI: grid.axisI, axisJ: grid.axisJ, axisK: grid.axisK, voxels: image)
            return Evidence(measured: .init(probability: probability, phaseFalls: phaseFalls),
                            map: OcclusionMap(image: slice, probability: crop, sensitivity: sensitivity, patch: patch))
        }
    }

    /// The lesion `voxels` of the portal venous grid as a mask on the network's grid (the same voxels when the
    /// grids are the same; otherwise the mask resampled, voxels over one half).
    private static func onNetworkGrid(_ voxels: [Int], portal: PatientVolume, threads: Int) throws -> [Bool] {
        var mask = portal
        mask.voxels = [Float](repeating: 0, count: portal.voxels.count)
        for n in voxels { mask.voxels[n] = 1 }
        return try CNNLiverSegmenter.onTrainingGrid(mask, threads: threads).0.voxels.map { $0 > 0.5 }
    }

    /// `pixels` (indices into a `width` x `height` plane) and their eight neighbours.
    private static func dilated(_ pixels: [Int], width: Int, height: Int) -> [Int] {
        var marked = Set<Int>()
        for p in pixels {
            let (row, column) = (p / width, p % width)
            for r in max(0, row - 1)...min(height - 1, row + 1) { for c in max(0, column - 1)...min(width - 1, column + 1) { marked.insert(r * width + c) } }
        }
        return marked.sorted()
    }
}
