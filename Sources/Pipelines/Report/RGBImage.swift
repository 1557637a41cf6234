/// An 8-bit RGB picture, colour-by-pixel, rows top to bottom: what key-slice renderings become before they
/// are written as PNG or DICOM Secondary Capture.
public struct RGBImage: Sendable, Equatable {
    public let width: Int, height: Int
    /// `width * height * 3` bytes.
    public var pixels: [UInt8]

    /// A black picture.
    public init(width: Int, height: Int) {
        (self.width, self.height) = (width, height)
        pixels = [UInt8](repeating: 0, count: max(0, width * height * 3))
    }

    /// Sets pixel (x, y) to `colour` (ignored outside the picture).
    public mutating func set(_ x: Int, _ y: Int, _ colour: DisplayColour) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let at = (y * width + x) * 3
        pixels[at] = colour.red; pixels[at + 1] = colour.green; pixels[at + 2] = colour.blue
    }

    /// The picture enlarged `zoom` times, each pixel a `zoom` x `zoom` block (itself for a zoom of 1 or less).
    public func enlarged(_ zoom: Int) -> RGBImage {
        guard zoom > 1 else { return self }
        var out = RGBImage(width: width * zoom, height: height * zoom)
        for y in 0..<out.height { for x in 0..<out.width {
            let (from, to) = (((y / zoom) * width + x / zoom) * 3, (y * out.width + x) * 3)
            out.pixels[to..<to + 3] = pixels[from..<from + 3]
        } }
        return out
    }
}
