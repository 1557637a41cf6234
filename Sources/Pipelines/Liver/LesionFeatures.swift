/// One measured LI-RADS feature: the quantity, the threshold it was compared with, and the verdict
/// ("if unsure, absent": a value within `margin` of the threshold counts as absent).
public struct FeatureMeasurement: Sendable, Codable, Equatable {
    /// The feature's name in LI-RADS words.
    public let name: String
    /// What was measured, e.g. "arterial core − liver, HU".
    public let quantity: String
    public let value: Double
    public let threshold: Double
    /// Uncertainty margin (2 standard errors of the value), HU.
    public let margin: Double
    public let present: Bool

    /// Present when `value ≥ threshold + margin` (or `≤ threshold − margin` when `below`).
    init(_ name: String, _ quantity: String, value: Double, threshold: Double, margin: Double, below: Bool = false, also: Bool = true) {
        (self.name, self.quantity, self.value, self.threshold, self.margin) = (name, quantity, value, threshold, margin)
        present = also && value.isFinite && (below ? value <= threshold - margin : value >= threshold + margin)
    }
}
