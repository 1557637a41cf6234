import Foundation

/// A linear radiomic signature fitted by the LASSO: `score = intercept + Σ coefficient_j x_j`.
///
/// Fitting minimises `(1/2n) ||y - Xb||² + λ ||b||₁` on standardised features (mean 0, population
/// standard deviation 1; constant features get coefficient 0) by cyclic coordinate descent with soft
/// thresholding, along a path of 100 λ from `λ_max = max_j |x_jᵀ y| / n` (where every coefficient is 0)
/// down to `λ_max / 1000`, each fit warm-started from the previous. λ is chosen by k-fold
/// cross-validation (folds from a seeded shuffle; standardisation learnt on each training part) as the
/// one with the lowest mean held-out squared error, or the largest within one standard error of it
/// (`oneStandardError`). Coefficients are then returned to the original feature scale.
public struct LassoModel: Sendable, Equatable {
    /// Feature keys, coefficients (original scale) and intercept.
    public let features: [String]
    public let coefficients: [Double]
    public let intercept: Double
    /// The chosen λ (on the standardised scale) and the cross-validated mean squared error there.
    public let lambda: Double
    public let crossValidatedError: Double

    /// The score of one case (values in `features` order).
    public func score(_ x: [Double]) -> Double { zip(coefficients, x).reduce(intercept) { $0 + $1.0 * $1.1 } }

    /// Fits `target` on `table`.
    /// - Throws: `SignatureError` for fewer than `2 folds` cases, fewer than 2 folds or a constant target.
    public static func fit(_ table: FeatureTable, target: [Double], folds: Int = 5, seed: UInt64 = 1,
                           oneStandardError: Bool = false) throws -> LassoModel {
        let n = table.rows.count
        guard target.count == n else { throw SignatureError("\(n) cases but \(target.count) targets") }
        guard folds >= 2, n >= 2 * folds else { throw SignatureError("\(folds)-fold cross-validation needs at least \(2 * folds) cases, got \(n)") }
        guard Set(target).count > 1 else { throw SignatureError("the target is constant") }
        let full = Standardised(table.rows, target: target)
        let lambdas = (0..<100).map { full.lambdaMax * pow(1e-3, Double($0) / 99) }
        // Cross-validation: held-out squared error per fold and λ.
        var random = CounterRandom(seed: seed, counter: 0)
        let order = random.shuffled(Array(0..<n))
        var errors = [[Double]](repeating: [Double](repeating: 0, count: lambdas.count), count: folds)
        for f in 0..<folds {
            let held = Set(order.indices.filter { $0 % folds == f }.map { order[$0] })
            let train = (0..<n).filter { !held.contains($0) }
            let part = Standardised(train.map { table.rows[$0] }, target: train.map { target[$0] })
            var b = [Double](repeating: 0, count: table.columns.count)
            for (l, lambda) in lambdas.enumerated() {
                part.descend(&b, lambda: lambda)
                let model = part.model(b, features: table.columns, lambda: lambda, error: 0)
                errors[f][l] = held.sorted().reduce(0) { $0 + pow(model.score(table.rows[$1]) - target[$1], 2) } / Double(held.count)
            }
        }
        let mean = lambdas.indices.map { l in errors.reduce(0) { $0 + $1[l] } / Double(folds) }
        let best = mean.indices.min { mean[$0] < mean[$1] }!
        var chosen = best
        if oneStandardError {
            let sd = (errors.reduce(0) { $0 + pow($1[best] - mean[best], 2) } / Double(folds - 1)).squareRoot()
            chosen = mean.indices.first { mean[$0] <= mean[best] + sd / Double(folds).squareRoot() }!
        }
        var b = [Double](repeating: 0, count: table.columns.count)
        for lambda in lambdas[0...chosen] { full.descend(&b, lambda: lambda) }
        return full.model(b, features: table.columns, lambda: lambdas[chosen], error: mean[chosen])
    }

    /// A model from its parts (as read from JSON).
    public init(features: [String], coefficients: [Double], intercept: Double, lambda: Double, crossValidatedError: Double) {
        (self.features, self.coefficients, self.intercept) = (features, coefficients, intercept)
        (self.lambda, self.crossValidatedError) = (lambda, crossValidatedError)
    }
}

/// Standardised design for `LassoModel`: columns with mean 0 and mean square 1, the centred target.
private struct Standardised {
    let columns: [[Double]]   // column-major, standardised
    let means: [Double], scales: [Double]
    let y: [Double], yMean: Double
    let lambdaMax: Double

    init(_ rows: [[Double]], target: [Double]) {
        let n = Double(rows.count), p = rows.first?.count ?? 0
        var columns: [[Double]] = [], means: [Double] = [], scales: [Double] = []
        for j in 0..<p {
            let c = rows.map { $0[j] }, m = c.reduce(0, +) / n
            let s = (c.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
            means.append(m); scales.append(s)
            columns.append(s > 1e-12 * max(1, abs(m)) ? c.map { ($0 - m) / s } : [Double](repeating: 0, count: c.count))
        }
        let yMean = target.reduce(0, +) / n, y = target.map { $0 - yMean }
        (self.columns, self.means, self.scales, self.y, self.yMean) = (columns, means, scales, y, yMean)
        lambdaMax = columns.map { c in abs(zip(c, y).reduce(0) { $0 + $1.0 * $1.1 }) / n }.max() ?? 0
    }

    /// Coordinate descent from `b` to convergence (largest coefficient change below 1e-9 of the largest
    /// coefficient, or 10 000 sweeps).
    func descend(_ b: inout [Double], lambda: Double) {
        let n = Double(y.count)
        var residual = y
        for (j, c) in columns.enumerated() where b[j] != 0 { for i in residual.indices { residual[i] -= c[i] * b[j] } }
        for _ in 0..<10_000 {
            var change = 0.0
            for (j, c) in columns.enumerated() {
                let active = c.contains { $0 != 0 }
                guard active else { continue }
                let rho = zip(c, residual).reduce(0) { $0 + $1.0 * $1.1 } / n + b[j]
                let updated = rho > lambda ? rho - lambda : rho < -lambda ? rho + lambda : 0
                let delta = updated - b[j]
                if delta != 0 {
                    for i in residual.indices { residual[i] -= c[i] * delta }
                    b[j] = updated
                    change = max(change, abs(delta))
                }
            }
            if change <= 1e-9 * max(1e-12, b.map(abs).max() ?? 0) { break }
        }
    }

    /// The model for standardised coefficients `b`, on the original scale.
    func model(_ b: [Double], features: [String], lambda: Double, error: Double) -> LassoModel {
        let coefficients = b.indices.map { scales[$0] > 0 && b[$0] != 0 ? b[$0] / scales[$0] : 0 }
        let intercept = yMean - zip(coefficients, means).reduce(0) { $0 + $1.0 * $1.1 }
        return LassoModel(features: features, coefficients: coefficients, intercept: intercept, lambda: lambda, crossValidatedError: error)
    }
}
