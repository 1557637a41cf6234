import Foundation

/// An sRGB display colour (0...255 per channel) and its DICOM CIELab encoding (PS3.3 C.10.7.1.1:
/// L* 0...100 and a*, b* -128...127 scaled to 0...65535, D65 white).
public struct DisplayColour: Sendable, Equatable {
    public let red: UInt8, green: UInt8, blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { (self.red, self.green, self.blue) = (red, green, blue) }

    /// The colour as DICOM-scaled CIELab.
    public var dicomCIELab: (UInt16, UInt16, UInt16) {
        func linear(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let (r, g, b) = (linear(red), linear(green), linear(blue))
        // sRGB -> XYZ (D65), normalised by the D65 white point.
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883
        func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
        let l = 116 * f(y) - 16, a = 500 * (f(x) - f(y)), bb = 200 * (f(y) - f(z))
        func scale(_ v: Double, _ low: Double, _ high: Double) -> UInt16 {
            UInt16(max(0, min(65535, ((v - low) / (high - low) * 65535).rounded())))
        }
        return (scale(l, 0, 100), scale(a, -128, 127), scale(bb, -128, 127))
    }
}
