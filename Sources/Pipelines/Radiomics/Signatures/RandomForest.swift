import Foundation
import HepatixKernels

/// A random-forest radiomic signature (Breiman): classification when the target holds integer class
/// labels, regression otherwise.
///
/// Each tree grows on a bootstrap sample (seeded: tree t draws from `CounterRandom(seed:, counter: t)`, so the
/// model does not depend on the thread count) by greedy binary splits `x_f <= threshold` (midpoints
/// between sorted distinct values) that most reduce Gini impurity (classification) or the sum of squared
/// deviations (regression), over `mtry` features drawn afresh at each node (default √p for
/// classification, p/3 for regression); nodes stop splitting when pure, smaller than `minimumSplit` or
/// at `maximumDepth`. Leaves hold class fractions or the mean. A case's score is the mean over trees:
/// class probabilities (reported: the probability of the highest label) or the predicted value.
/// The out-of-bag error (misclassification rate or mean squared error) is estimated while training.
public struct RandomForest: Sendable, Equatable {
    /// One tree in flat arrays; node 0 is the root, `feature < 0` marks a leaf whose `values` are its
    /// class fractions (classification) or its single mean (regression).
    public struct Tree: Sendable, Equatable {
        public var feature: [Int] = [], threshold: [Double] = [], left: [Int] = [], right: [Int] = []
        public var values: [[Double]] = []

        /// The leaf values reached by `x`.
        public func leaf(_ x: [Double]) -> [Double] {
            var node = 0
            while feature[node] >= 0 { node = x[feature[node]] <= threshold[node] ? left[node] : right[node] }
            return values[node]
        }
    }

    /// Feature keys, the class labels (empty for regression) and the trees.
    public let features: [String]
    public let classes: [Double]
    public let trees: [Tree]
    /// Out-of-bag misclassification rate or mean squared error (NaN when no case was ever out of bag).
    public let outOfBagError: Double

    /// Class probabilities (in `classes` order) or the regression value (one element) for one case.
    public func predict(_ x: [Double]) -> [Double] {
        var sum = [Double](repeating: 0, count: max(1, classes.count))
        for t in trees { for (k, v) in t.leaf(x).enumerated() { sum[k] += v } }
        return sum.map { $0 / Double(trees.count) }
    }

    /// The signature's score: the probability of the highest class label, or the regression value.
    public func score(_ x: [Double]) -> Double { predict(x).last! }

    /// Trains `trees` trees on up to `threads` workers (0: one per core); bit-identical for any count.
    /// - Throws: `SignatureError` for fewer than 2 cases, a target/table size mismatch or bad settings.
    public static func fit(_ table: FeatureTable, target: [Double], trees: Int = 500, mtry: Int? = nil, minimumSplit: Int = 2,
                           maximumDepth: Int = 64, seed: UInt64 = 1, threads: Int = 0) throws -> RandomForest {
        let n = table.rows.count, p = table.columns.count
        guard target.count == n, n >= 2, p >= 1 else { throw SignatureError("need at least 2 cases and 1 feature with one target each") }
        guard trees >= 1, trees <= 100_000, minimumSplit >= 2, maximumDepth >= 1 else { throw SignatureError("bad forest settings") }
        let classification = target.allSatisfy { $0 == $0.rounded() } && Set(target).count <= 64
        let classes = classification ? Array(Set(target)).sorted() : []
        let labels = classification ? target.map { classes.firstIndex(of: $0)! } : []
        let m = min(p, max(1, mtry ?? (classification ? Int(Double(p).squareRoot()) : max(1, p / 3))))
        let grower = TreeGrower(rows: table.rows, target: target, labels: labels, classCount: classes.count, mtry: m,
                                minimumSplit: minimumSplit, maximumDepth: maximumDepth)
        let slots = TreeSlots(count: trees)
        WorkerPool(threads: threads).forEach(items: trees) { _, t in
            var random = CounterRandom(seed: seed, counter: UInt64(t))
            let sample = (0..<n).map { _ in random.below(n) }
            slots.store(grower.grow(sample, random: &random), bag: sample, at: t)
        }
        let forest = RandomForest(features: table.columns, classes: classes, trees: slots.trees, outOfBagError: .nan)
        return RandomForest(features: table.columns, classes: classes, trees: slots.trees,
                            outOfBagError: forest.outOfBag(table.rows, target: target, bags: slots.bags))
    }

    /// A forest from its parts (as read from JSON).
    public init(features: [String], classes: [Double], trees: [Tree], outOfBagError: Double) {
        (self.features, self.classes, self.trees, self.outOfBagError) = (features, classes, trees, outOfBagError)
    }

    /// Out-of-bag error: each case scored by the trees whose bootstrap missed it.
    func outOfBag(_ rows: [[Double]], target: [Double], bags: [[Int]]) -> Double {
        let inBag = bags.map(Set.init)
        var loss = 0.0, scored = 0
        for (i, x) in rows.enumerated() {
            let voters = trees.indices.filter { !inBag[$0].contains(i) }
            guard !voters.isEmpty else { continue }
            var sum = [Double](repeating: 0, count: max(1, classes.count))
            for t in voters { for (k, v) in trees[t].leaf(x).enumerated() { sum[k] += v } }
            if classes.isEmpty {
                let e = sum[0] / Double(voters.count) - target[i]
                loss += e * e
            } else {
                let predicted = sum.indices.max { sum[$0] < sum[$1] }!
                loss += classes[predicted] == target[i] ? 0 : 1
            }
            scored += 1
        }
        return scored > 0 ? loss / Double(scored) : .nan
    }
}

/// Grows one tree of `RandomForest` on a bootstrap sample.
private struct TreeGrower: Sendable {
    let rows: [[Double]], target: [Double], labels: [Int], classCount: Int
    let mtry: Int, minimumSplit: Int, maximumDepth: Int

    func grow(_ sample: [Int], random: inout CounterRandom) -> RandomForest.Tree {
        var tree = RandomForest.Tree()
        var stack: [(node: Int, members: [Int], depth: Int)] = [(newNode(&tree), sample, 0)]
        while let (node, members, depth) = stack.popLast() {
            tree.values[node] = leafValues(members)
            guard members.count >= minimumSplit, depth < maximumDepth, !isPure(members),
                  let split = bestSplit(members, random: &random) else { continue }
            let (l, r) = (newNode(&tree), newNode(&tree))
            (tree.feature[node], tree.threshold[node], tree.left[node], tree.right[node]) = (split.feature, split.threshold, l, r)
            let goesLeft = members.filter { rows[$0][split.feature] <= split.threshold }
            let goesRight = members.filter { rows[$0][split.feature] > split.threshold }
            stack.append((r, goesRight, depth + 1))
            stack.append((l, goesLeft, depth + 1))
        }
        return tree
    }

    func newNode(_ tree: inout RandomForest.Tree) -> Int {
        tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.values.append([])
        return tree.feature.count - 1
    }

    func isPure(_ members: [Int]) -> Bool {
        classCount > 0 ? members.allSatisfy { labels[$0] == labels[members[0]] } : members.allSatisfy { target[$0] == target[members[0]] }
    }

    func leafValues(_ members: [Int]) -> [Double] {
        guard classCount > 0 else { return [members.reduce(0) { $0 + target[$1] } / Double(members.count)] }
        var counts = [Double](repeating: 0, count: classCount)
        for i in members { counts[labels[i]] += 1 }
        return counts.map { $0 / Double(members.count) }
    }

    /// The split of `members` with the largest impurity decrease over `mtry` random features, or nil.
    func bestSplit(_ members: [Int], random: inout CounterRandom) -> (feature: Int, threshold: Double)? {
        let p = rows[0].count
        var candidates = Array(0..<p)
        for k in 0..<mtry { candidates.swapAt(k, k + random.below(p - k)) }
        var best: (gain: Double, feature: Int, threshold: Double)? = nil
        let total = Double(members.count)
        for f in candidates.prefix(mtry) {
            let sorted = members.sorted { (rows[$0][f], $0) < (rows[$1][f], $1) }
            // Running class counts (or sums) on the left, the rest on the right.
            var leftCounts = [Double](repeating: 0, count: max(1, classCount)), rightCounts = leftCounts
            var leftSum = 0.0, leftSquares = 0.0, rightSum = 0.0, rightSquares = 0.0
            for i in sorted {
                if classCount > 0 { rightCounts[labels[i]] += 1 } else { rightSum += target[i]; rightSquares += target[i] * target[i] }
            }
            func impurity(_ counts: [Double], _ sum: Double, _ squares: Double, _ size: Double) -> Double {
                guard size > 0 else { return 0 }
                if classCount > 0 { return size * (1 - counts.reduce(0) { $0 + ($1 / size) * ($1 / size) }) }
                return squares - sum * sum / size
            }
            let parent = impurity(rightCounts, rightSum, rightSquares, total)
            for k in 0..<(sorted.count - 1) {
                let i = sorted[k]
                if classCount > 0 { leftCounts[labels[i]] += 1; rightCounts[labels[i]] -= 1 }
                else { leftSum += target[i]; leftSquares += target[i] * target[i]; rightSum -= target[i]; rightSquares -= target[i] * target[i] }
                let (a, b) = (rows[i][f], rows[sorted[k + 1]][f])
                guard a < b else { continue }
                let nl = Double(k + 1)
                let gain = parent - impurity(leftCounts, leftSum, leftSquares, nl) - impurity(rightCounts, rightSum, rightSquares, total - nl)
                if gain > 1e-12, best == nil || gain > best!.gain { best = (gain, f, a + (b - a) / 2) }
            }
        }
        return best.map { ($0.feature, $0.threshold) }
    }
}

/// One slot per tree (and its bootstrap sample), each written by exactly one worker.
private final class TreeSlots: @unchecked Sendable {
    private var storedTrees: [RandomForest.Tree], storedBags: [[Int]]
    private let lock = NSLock()
    init(count: Int) { (storedTrees, storedBags) = (Array(repeating: RandomForest.Tree(), count: count), Array(repeating: [], count: count)) }
    func store(_ tree: RandomForest.Tree, bag: [Int], at t: Int) { lock.withLock { storedTrees[t] = tree; storedBags[t] = bag } }
    var trees: [RandomForest.Tree] { lock.withLock { storedTrees } }
    var bags: [[Int]] { lock.withLock { storedBags } }
}
