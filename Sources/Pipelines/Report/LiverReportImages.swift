/// The pictures of the liver report: an axial overview with the Couinaud segments tinted and the lesions
/// outlined, and for each lesion its phases side by side with the lesion (yellow) and the liver reference
/// region (cyan) drawn — the evidence behind each LI-RADS feature.
public enum LiverReportImages {
    /// Segment tints 1...8.
    public static let segmentColours: [DisplayColour] = [
        DisplayColour(230, 25, 75), DisplayColour(60, 180, 75), DisplayColour(255, 225, 25), DisplayColour(0, 130, 200),
        DisplayColour(245, 130, 48), DisplayColour(145, 30, 180), DisplayColour(70, 240, 240), DisplayColour(240, 50, 230),
    ]
    static let lesionColour = DisplayColour(255, 255, 0), referenceColour = DisplayColour(0, 220, 255)

    /// The portal venous slice with most liver, segments tinted (35 %), lesions outlined.
    public static func overview(_ output: LiverAnalyzer.Output) throws -> (image: RGBImage, slice: Int) {
        let portal = output.phases[.portalVenous]!
        let plane = portal.nx * portal.ny
        let k = LiverAnalyzer.widestSlice(of: output.liver, plane: plane)
        let lesions = SliceRenderer.Overlay(mask: output.lesionNumber.map { $0 > 0 ? 1 : 0 }, colour: lesionColour)
        var image = try SliceRenderer.render(portal, slice: k, windowCentre: 60, windowWidth: 400, overlays: [lesions])
        for p in 0..<plane {
            let s = Int(output.couinaud[k * plane + p])
            guard s > 0, image.pixels[3 * p] != 255 || image.pixels[3 * p + 2] != 0 else { continue }
            let c = segmentColours[s - 1]
            for (channel, value) in [c.red, c.green, c.blue].enumerated() {
                image.pixels[3 * p + channel] = UInt8((Double(image.pixels[3 * p + channel]) * 0.65 + Double(value) * 0.35).rounded())
            }
        }
        return (image, k)
    }

    /// A network's occlusion map: its slice in grey with the probability's half contour in green and the occlusion
    /// sensitivity over it, red where covering the image lowers the network's decision (the evidence it used), blue
    /// where covering raises it, full colour at the largest magnitude; enlarged `zoom` times.
    public static func occlusionPicture(_ occlusion: OcclusionMap, zoom: Int = 1) throws -> RGBImage {
        let contour = SliceRenderer.Overlay(mask: occlusion.probability.map { $0 > 0.5 ? 1 : 0 }, colour: DisplayColour(0, 255, 0))
        var image = try SliceRenderer.render(occlusion.image, slice: 0, windowCentre: 60, windowWidth: 400)
        let scale = max(occlusion.sensitivity.map(abs).max() ?? 0, 1e-6)
        for p in occlusion.sensitivity.indices {
            let weight = Double(min(1, abs(occlusion.sensitivity[p]) / scale)) * 0.6
            let tint: [Double] = occlusion.sensitivity[p] >= 0 ? [255, 0, 0] : [0, 80, 255]
            for channel in 0..<3 {
                image.pixels[3 * p + channel] = UInt8((Double(image.pixels[3 * p + channel]) * (1 - weight) + tint[channel] * weight).rounded())
            }
        }
        SliceRenderer.outline(&image, [contour], slice: 0)
        return image.enlarged(zoom)
    }

    /// The lesion's long-axis slice in every phase (unenhanced, arterial, portal venous, delayed), cropped to
    /// the lesion plus a margin and enlarged `zoom` times, with the lesion and liver reference outlined. When the
    /// analysis denoised the phases on this grid (`acquiredPhases`), two more rows follow: the acquired images and
    /// what the denoising network changed (analysed − acquired, red brighter, blue darker, full at ±25 HU), the
    /// map of the CNN's correction around the lesion.
    public static func phasePanel(_ output: LiverAnalyzer.Output, lesion: LiverAnalysisResult.Lesion, zoom: Int = 3) throws -> RGBImage {
        let portal = output.phases[.portalVenous]!
        let grid = try portal.voxelGrid()
        let (nx, ny, plane, k) = (portal.nx, portal.ny, portal.nx * portal.ny, lesion.slice)
        let label = UInt8(lesion.number)
        let voxels = output.lesionNumber.indices.filter { output.lesionNumber[$0] == label }
        var mine = [UInt8](repeating: 0, count: grid.count), reference = mine
        for n in voxels { mine[n] = 1 }
        // Reference: liver outside lesions 5-20 mm from this one. Every such voxel lies in the lesion's box grown by
        // more than 20 mm, so the distance transform of that box is exact where it matters.
        if !voxels.isEmpty {
            let box = try VoxelBox(around: voxels, in: grid, marginMM: 21)
            let distance = EuclideanDistance.squaredDistance(to: true, in: box.extract(mine).map { $0 != 0 }, grid: box.subgrid)
            for m in distance.indices where distance[m] >= 25 && distance[m] <= 400 {
                let n = box.outer(m)
                if output.liver[n] && output.lesionNumber[n] == 0 { reference[n] = 1 }
            }
        }
        let outlines = [SliceRenderer.Overlay(mask: mine, colour: lesionColour),
                        SliceRenderer.Overlay(mask: reference, colour: referenceColour)]
        var xs: [Int] = [], ys: [Int] = []
        for p in 0..<plane where mine[k * plane + p] != 0 { xs.append(p % nx); ys.append(p / nx) }
        let centre = (x: ((xs.min() ?? 0) + (xs.max() ?? 0)) / 2, y: ((ys.min() ?? 0) + (ys.max() ?? 0)) / 2)
        let half = Int((max(20, 1.2 * lesion.longAxisMM) / portal.spacing.x).rounded())
        let side = 2 * half + 1
        let phases = ContrastPhase.acquisitionOrder.filter { output.phases[$0] != nil }
        let acquired = output.acquiredPhases.flatMap { a in phases.allSatisfy { a[$0]?.voxels.count == grid.count } ? a : nil }
        let rows = acquired == nil ? 1 : 3
        var panel = RGBImage(width: phases.count * side * zoom + (phases.count - 1) * 4, height: rows * side * zoom + (rows - 1) * 4)
        for (column, phase) in phases.enumerated() {
            var pictures = [try SliceRenderer.render(output.phases[phase]!, slice: k, windowCentre: 60, windowWidth: 400, overlays: outlines)]
            if let acquired {
                pictures.append(try SliceRenderer.render(acquired[phase]!, slice: k, windowCentre: 60, windowWidth: 400, overlays: outlines))
                pictures.append(try SliceRenderer.renderDifference(output.phases[phase]!, minus: acquired[phase]!, slice: k, rangeHU: 25, overlays: outlines))
            }
            for (row, picture) in pictures.enumerated() {
                for y in 0..<(side * zoom) { for x in 0..<(side * zoom) {
                    let (sx, sy) = (centre.x - half + x / zoom, centre.y - half + y / zoom)
                    guard sx >= 0, sy >= 0, sx < nx, sy < ny else { continue }
                    let at = (sy * nx + sx) * 3
                    panel.set(column * (side * zoom + 4) + x, row * (side * zoom + 4) + y,
                              DisplayColour(picture.pixels[at], picture.pixels[at + 1], picture.pixels[at + 2]))
                } }
            }
        }
        return panel
    }
}
