import Foundation
import Testing
@testable import Hepatix

/// Radiomic signatures: the LASSO meets its optimality conditions and recovers a sparse truth; the
/// random forest learns a separable rule, reproduces itself for any thread count and survives JSON.
struct SignatureTests {
    /// Cases with `p` uniform features in [0, 1) from a fixed generator, and `y = rule(x)`.
    static func cases(_ n: Int, _ p: Int, seed: UInt64, rule: ([Double], inout CounterRandom) -> Double) throws -> (FeatureTable, [Double]) {
        var random = CounterRandom(seed: seed, counter: 0)
        let rows = (0..<n).map { _ in (0..<p).map { _ in Double(random.next() >> 11) / Double(1 << 53) } }
        let y = rows.map { rule($0, &random) }
        return (try FeatureTable(columns: (0..<p).map { "f\($0)" }, rows: rows), y)
    }

    /// Uniform noise in [-a, a).
    static func noise(_ a: Double, _ random: inout CounterRandom) -> Double { (Double(random.next() >> 11) / Double(1 << 53) * 2 - 1) * a }

    /// The chosen fit satisfies the LASSO's KKT conditions on the standardised scale: for a kept feature
    /// `x_jᵀ r / n = λ sign(b_j)`, for a dropped one `|x_jᵀ r / n| <= λ` (to the solver's 1e-9 convergence,
    /// scaled: 1e-6 relative to λ), and recovers `y = 3 x0 - 2 x2 + noise` (noise 0.05: coefficients
    /// within 5 %, the six noise features below 0.05 in magnitude).
    @Test func lassoMeetsOptimalityAndRecoversSparseTruth() throws {
        let (table, y) = try Self.cases(200, 8, seed: 7) { x, r in 3 * x[0] - 2 * x[2] + Self.noise(0.05, &r) }
        let m = try LassoModel.fit(table, target: y, folds: 5, seed: 3)
        #expect(abs(m.coefficients[0] - 3) < 0.15 && abs(m.coefficients[2] + 2) < 0.1, "\(m.coefficients)")
        #expect([1, 3, 4, 5, 6, 7].allSatisfy { abs(m.coefficients[$0]) < 0.05 }, "\(m.coefficients)")
        let n = Double(y.count)
        let means = (0..<8).map { j in table.rows.reduce(0) { $0 + $1[j] } / n }
        let sds = (0..<8).map { j in (table.rows.reduce(0) { $0 + pow($1[j] - means[j], 2) } / n).squareRoot() }
        let yMean = y.reduce(0, +) / n
        let residual = table.rows.indices.map { i in
            (y[i] - yMean) - (0..<8).reduce(0) { $0 + m.coefficients[$1] * (table.rows[i][$1] - means[$1]) }
        }
        for j in 0..<8 {
            let gradient = table.rows.indices.reduce(0) { $0 + (table.rows[$1][j] - means[j]) / sds[j] * residual[$1] } / n
            if m.coefficients[j] != 0 {
                #expect(abs(gradient - m.lambda * (m.coefficients[j] > 0 ? 1 : -1)) <= 1e-6 * m.lambda, "feature \(j): \(gradient) vs λ \(m.lambda)")
            } else {
                #expect(abs(gradient) <= m.lambda * (1 + 1e-6), "feature \(j): \(gradient) vs λ \(m.lambda)")
            }
        }
    }

    /// A forest learns `class = x0 + x1 > 1` among three noise features: held-out accuracy above 90 %
    /// (the rule's boundary is diagonal, which axis-aligned trees approximate), out-of-bag error below
    /// 15 %; the same trees for 1 and 4 threads; identical scores after a JSON round trip.
    @Test func forestLearnsAndReproduces() throws {
        let rule: ([Double], inout CounterRandom) -> Double = { x, _ in x[0] + x[1] > 1 ? 1 : 0 }
        let (train, y) = try Self.cases(300, 5, seed: 11, rule: rule)
        let (test, truth) = try Self.cases(300, 5, seed: 12, rule: rule)
        let forest = try RandomForest.fit(train, target: y, trees: 100, seed: 5, threads: 1)
        let accuracy = Double(test.rows.indices.filter { (forest.score(test.rows[$0]) > 0.5 ? 1.0 : 0.0) == truth[$0] }.count) / 300
        #expect(accuracy > 0.9 && forest.outOfBagError < 0.15, "accuracy \(accuracy), OOB \(forest.outOfBagError)")
        #expect(try RandomForest.fit(train, target: y, trees: 100, seed: 5, threads: 4) == forest)
        let back = try Signature.read(try Signature.forest(forest).json())
        #expect(test.rows.allSatisfy { back.score($0) == forest.score($0) })
    }

    /// Signatures read features by key from an extraction and refuse malformed JSON: a cyclic tree, an
    /// index too large for an integer, a missing feature, an unknown kind.
    @Test func signaturesApplyByKeyAndRefuseBadInput() throws {
        let model = Signature.lasso(LassoModel(features: ["stat.mean", "cm.joint.entr@3D, averaged"], coefficients: [2, -1],
                                               intercept: 0.5, lambda: 0.1, crossValidatedError: 1))
        let features = [RadiomicsFeature(tag: "stat.mean", code: "Q4LE", value: 3),
                        RadiomicsFeature(tag: "cm.joint.entr", code: "TU9B", aggregation: "3D, averaged", value: 4)]
        #expect(try model.score(features) == 0.5 + 6 - 4)
        #expect(throws: SignatureError.self) { _ = try model.score(Array(features.prefix(1))) }
        let cyclic = #"{"format":"hepatix-signature","version":1,"kind":"random-forest","features":["a"],"classes":[0,1],"#
            + #""trees":[{"feature":[0,-1],"threshold":[0.5,0],"left":[0,0],"right":[1,0],"values":[[],[1,0]]}]}"#
        #expect(throws: SignatureError.self) { _ = try Signature.read(Data(cyclic.utf8)) }
        let huge = cyclic.replacingOccurrences(of: #""left":[0,0]"#, with: #""left":[1e300,0]"#)
        #expect(throws: SignatureError.self) { _ = try Signature.read(Data(huge.utf8)) }
        #expect(throws: SignatureError.self) { _ = try Signature.read(Data(#"{"format":"hepatix-signature","version":1,"kind":"svm","features":[]}"#.utf8)) }
    }
}
