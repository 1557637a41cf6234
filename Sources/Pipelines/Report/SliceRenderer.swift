/// Renders one slice of a volume (k fixed: the image plane of a DICOM series) with a display window and
/// the outlines of masks drawn over it: the key-slice pictures of reports and Secondary Captures.
public enum SliceRenderer {
    /// A mask to outline: one byte per voxel of the volume (non-zero inside) and the colour of its border.
    public struct Overlay: Sendable {
        public let mask: [UInt8]
        public let colour: DisplayColour
        public init(mask: [UInt8], colour: DisplayColour) { (self.mask, self.colour) = (mask, colour) }
    }

    /// Slice `k` of `volume` in the window [centre - width/2, centre + width/2] with overlay borders
    /// (mask voxels with a 4-neighbour outside the mask).
    /// - Throws: `DicomError` when `k` is outside the volume or an overlay does not match its size.
    public static func render(_ volume: PatientVolume, slice k: Int, windowCentre: Float = 50, windowWidth: Float = 400,
                              overlays: [Overlay] = []) throws -> RGBImage {
        guard (0..<volume.nz).contains(k) else { throw DicomError("slice \(k) is outside the volume (0..<\(volume.nz))") }
        let (nx, ny) = (volume.nx, volume.ny), plane = nx * ny, base = k * plane
        for overlay in overlays where overlay.mask.count != volume.voxels.count {
            throw DicomError("overlay has \(overlay.mask.count) voxels, the volume \(volume.voxels.count)")
        }
        var image = RGBImage(width: nx, height: ny)
        let low = windowCentre - windowWidth / 2, scale = 255 / max(windowWidth, 1e-6)
        for p in 0..<plane {
            let v = volume.voxels[base + p]
            let grey = v.isFinite ? UInt8(max(0, min(255, ((v - low) * scale).rounded()))) : 0
            image.pixels[3 * p] = grey; image.pixels[3 * p + 1] = grey; image.pixels[3 * p + 2] = grey
        }
        outline(&image, overlays, slice: k)
        return image
    }

    /// Slice `k` of `a − b` (volumes on one grid) in a diverging map: black where equal, red where `a` is higher,
    /// blue where lower, full colour at ±`rangeHU`; overlay borders as in `render`.
    /// - Throws: `DicomError` when the volumes differ in size, `k` is outside them or an overlay does not match.
    public static func renderDifference(_ a: PatientVolume, minus b: PatientVolume, slice k: Int, rangeHU: Float = 50,
                                        overlays: [Overlay] = []) throws -> RGBImage {
        guard a.voxels.count == b.voxels.count, a.nx == b.nx, a.ny == b.ny else { throw DicomError("the two volumes differ in size") }
        guard (0..<a.nz).contains(k) else { throw DicomError("slice \(k) is outside the volume (0..<\(a.nz))") }
        for overlay in overlays where overlay.mask.count != a.voxels.count {
            throw DicomError("overlay has \(overlay.mask.count) voxels, the volume \(a.voxels.count)")
        }
        let plane = a.nx * a.ny, base = k * plane
        var image = RGBImage(width: a.nx, height: a.ny)
        for p in 0..<plane {
            let d = a.voxels[base + p] - b.voxels[base + p]
            let level = d.isFinite ? UInt8(max(0, min(255, (abs(d) / max(rangeHU, 1e-6) * 255).rounded()))) : 0
            image.pixels[3 * p + (d >= 0 ? 0 : 2)] = level
        }
        outline(&image, overlays, slice: k)
        return image
    }

    /// Draws the borders of `overlays` on slice `k` (mask voxels with a 4-neighbour outside the mask).
    static func outline(_ image: inout RGBImage, _ overlays: [Overlay], slice k: Int) {
        let (nx, ny) = (image.width, image.height), base = k * nx * ny
        for overlay in overlays {
            let mask = overlay.mask
            for y in 0..<ny {
                for x in 0..<nx where mask[base + y * nx + x] != 0 {
                    let inside = { (xx: Int, yy: Int) in xx >= 0 && yy >= 0 && xx < nx && yy < ny && mask[base + yy * nx + xx] != 0 }
                    if !inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1) {
                        image.set(x, y, overlay.colour)
                    }
                }
            }
        }
    }
}
