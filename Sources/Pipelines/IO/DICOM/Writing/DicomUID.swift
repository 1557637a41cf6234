import Foundation

/// New DICOM UIDs under the `2.25` root (ISO/IEC 9834-8, PS3.5 B.2): "2.25." followed by a random
/// (version 4) UUID written as one unsigned decimal integer. No organisation root is needed and the
/// 128-bit random part makes collisions negligible. At most 44 characters, within UI's 64.
public enum DicomUID {
    /// A fresh UID.
    public static func make() -> String {
        let bytes = withUnsafeBytes(of: UUID().uuid) { Array($0) }
        return "2.25." + decimal(bytes)
    }

    /// The big-endian bytes as a decimal number (no leading zeros).
    static func decimal(_ bytes: [UInt8]) -> String {
        var digits: [UInt8] = []          // little-endian base-10 digits
        var number = bytes
        while number.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in number.indices {
                let value = remainder * 256 + Int(number[i])
                number[i] = UInt8(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(remainder))
        }
        return digits.isEmpty ? "0" : String(digits.reversed().map { Character(String($0)) })
    }
}
