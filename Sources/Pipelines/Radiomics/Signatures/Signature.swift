import Foundation

/// A radiomic signature as shipped: a fitted model and the feature keys it reads, stored as JSON
/// (`{"format": "hepatix-signature", "version": 1, "kind": "lasso" | "random-forest", ...}`).
public enum Signature: Sendable, Equatable {
    case lasso(LassoModel)
    case forest(RandomForest)

    /// The feature keys the model reads, in order.
    public var features: [String] {
        switch self { case .lasso(let m): return m.features; case .forest(let f): return f.features }
    }

    /// The score of one case given its feature values in `features` order.
    public func score(_ x: [Double]) -> Double {
        switch self { case .lasso(let m): return m.score(x); case .forest(let f): return f.score(x) }
    }

    /// The score of one case given its extracted features.
    /// - Throws: `SignatureError` when a feature the model reads is missing or not finite.
    public func score(_ extracted: [RadiomicsFeature]) throws -> Double { score(try FeatureTable.row(features, from: extracted)) }

    /// The JSON form.
    public func json() throws -> Data {
        var object: [String: Any] = ["format": "hepatix-signature", "version": 1, "features": features]
        switch self {
        case .lasso(let m):
            object["kind"] = "lasso"
            object["coefficients"] = m.coefficients
            object["intercept"] = m.intercept
            object["lambda"] = m.lambda
            object["cross_validated_mse"] = m.crossValidatedError
        case .forest(let f):
            object["kind"] = "random-forest"
            object["classes"] = f.classes
            object["out_of_bag_error"] = f.outOfBagError.isFinite ? f.outOfBagError : NSNull()
            object["trees"] = f.trees.map { t in
                ["feature": t.feature, "threshold": t.threshold, "left": t.left, "right": t.right, "values": t.values] as [String: Any]
            }
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// Reads the JSON form, checking every index a tree holds.
    /// - Throws: `SignatureError` for anything that is not a well-formed signature.
    public static func read(_ data: Data) throws -> Signature {
        guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              o["format"] as? String == "hepatix-signature", (o["version"] as? NSNumber)?.intValue == 1,
              let features = o["features"] as? [String] else {
            throw SignatureError("not a hepatix-signature version 1 JSON object")
        }
        func numbers(_ key: String, _ from: [String: Any] = o) throws -> [Double] {
            guard let v = from[key] as? [NSNumber] else { throw SignatureError("signature field '\(key)' must be a list of numbers") }
            return v.map(\.doubleValue)
        }
        func integers(_ key: String, _ from: [String: Any]) throws -> [Int] {
            try numbers(key, from).map { v in
                guard let i = Int(exactly: v), abs(i) < 1 << 40 else { throw SignatureError("signature field '\(key)' holds \(v), not an index") }
                return i
            }
        }
        switch o["kind"] as? String {
        case "lasso":
            let c = try numbers("coefficients")
            guard c.count == features.count, c.allSatisfy(\.isFinite), let b = (o["intercept"] as? NSNumber)?.doubleValue, b.isFinite else {
                throw SignatureError("a LASSO signature needs one finite coefficient per feature and a finite intercept")
            }
            return .lasso(LassoModel(features: features, coefficients: c, intercept: b,
                                     lambda: (o["lambda"] as? NSNumber)?.doubleValue ?? .nan,
                                     crossValidatedError: (o["cross_validated_mse"] as? NSNumber)?.doubleValue ?? .nan))
        case "random-forest":
            let classes = try numbers("classes")
            guard let rawTrees = o["trees"] as? [[String: Any]], !rawTrees.isEmpty else { throw SignatureError("a forest needs trees") }
            let width = max(1, classes.count)
            let trees = try rawTrees.map { t -> RandomForest.Tree in
                var tree = RandomForest.Tree()
                tree.feature = try integers("feature", t)
                tree.threshold = try numbers("threshold", t)
                tree.left = try integers("left", t)
                tree.right = try integers("right", t)
                tree.values = (t["values"] as? [[NSNumber]])?.map { $0.map(\.doubleValue) } ?? []
                let n = tree.feature.count
                guard n >= 1, [tree.threshold.count, tree.left.count, tree.right.count, tree.values.count].allSatisfy({ $0 == n }) else {
                    throw SignatureError("a tree's node lists differ in length")
                }
                // Children must point forward (no cycles) and inside the tree; leaves need their values.
                for k in 0..<n where tree.feature[k] >= 0 {
                    guard tree.feature[k] < features.count, tree.left[k] > k, tree.left[k] < n, tree.right[k] > k, tree.right[k] < n,
                          tree.threshold[k].isFinite else { throw SignatureError("tree node \(k) is malformed") }
                }
                for k in 0..<n where tree.feature[k] < 0 && tree.values[k].count != width {
                    throw SignatureError("leaf \(k) holds \(tree.values[k].count) values, expected \(width)")
                }
                return tree
            }
            return .forest(RandomForest(features: features, classes: classes, trees: trees,
                                        outOfBagError: (o["out_of_bag_error"] as? NSNumber)?.doubleValue ?? .nan))
        default:
            throw SignatureError("unknown signature kind '\(o["kind"] ?? "none")'; lasso or random-forest")
        }
    }
}
