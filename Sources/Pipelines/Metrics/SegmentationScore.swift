/// Overlap scores between a segmentation and its ground truth.
public enum SegmentationScore {
    /// Dice coefficient 2|A∩B| / (|A| + |B|); 1 when both are empty.
    public static func dice(_ a: [Bool], _ b: [Bool]) -> Double {
        precondition(a.count == b.count, "masks of \(a.count) and \(b.count) voxels")
        var both = 0, total = 0
        for (x, y) in zip(a, b) {
            if x && y { both += 1 }
            total += (x ? 1 : 0) + (y ? 1 : 0)
        }
        return total == 0 ? 1 : 2 * Double(both) / Double(total)
    }
}
