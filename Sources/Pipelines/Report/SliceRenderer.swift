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
        return image
    }
}
