import Foundation

/// Why a radiomic signature could not be fitted, read or applied.
public struct SignatureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message.
    public let description: String
    init(_ message: String) { description = message }
}

/// Cases × features: the training data of a radiomic signature. Columns are feature keys
/// (`RadiomicsFeature.key`, e.g. `cm.joint.entr@3D, averaged`), rows are cases.
public struct FeatureTable: Sendable {
    /// Feature keys, one per column.
    public let columns: [String]
    /// One row of values per case, each `columns.count` long.
    public let rows: [[Double]]

    /// A table; every row must be as long as `columns` and every value finite.
    /// - Throws: `SignatureError` for ragged rows, duplicate columns or non-finite values.
    public init(columns: [String], rows: [[Double]]) throws {
        guard Set(columns).count == columns.count else { throw SignatureError("duplicate feature columns") }
        for (i, row) in rows.enumerated() {
            guard row.count == columns.count else { throw SignatureError("row \(i + 1) has \(row.count) values for \(columns.count) columns") }
            if let j = row.firstIndex(where: { !$0.isFinite }) { throw SignatureError("row \(i + 1), column '\(columns[j])' is not finite") }
        }
        (self.columns, self.rows) = (columns, rows)
    }

    /// Reads a CSV file with a header row: every column but `target` (and `id`, when given) is a numeric
    /// feature. Returns the table and the target column.
    /// - Throws: `SignatureError` naming the file, line and column of a problem.
    public static func load(csv path: String, target: String, id: String? = nil) throws -> (table: FeatureTable, target: [Double]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SignatureError("cannot read \(path)") }
        let lines = CSV.rows(text)
        guard let header = lines.first, lines.count >= 2 else { throw SignatureError("\(path) needs a header and at least one case") }
        guard let t = header.firstIndex(of: target) else { throw SignatureError("\(path) has no column '\(target)'") }
        let skipped = Set([t] + (id.flatMap { header.firstIndex(of: $0) }.map { [$0] } ?? []))
        let featureColumns = header.indices.filter { !skipped.contains($0) }
        var rows: [[Double]] = [], targets: [Double] = []
        for (n, line) in lines.dropFirst().enumerated() {
            guard line.count == header.count else { throw SignatureError("\(path) line \(n + 2): \(line.count) fields, header has \(header.count)") }
            func number(_ k: Int) throws -> Double {
                guard let v = Double(line[k].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw SignatureError("\(path) line \(n + 2), column '\(header[k])': '\(line[k])' is not a finite number")
                }
                return v
            }
            rows.append(try featureColumns.map(number))
            targets.append(try number(t))
        }
        return (try FeatureTable(columns: featureColumns.map { header[$0] }, rows: rows), targets)
    }

    /// The values of `keys` for one case given as extracted features.
    /// - Throws: `SignatureError` naming the first missing or non-finite feature.
    public static func row(_ keys: [String], from features: [RadiomicsFeature]) throws -> [Double] {
        let byKey = Dictionary(features.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return try keys.map { key in
            guard let v = byKey[key] else { throw SignatureError("the features have no '\(key)'") }
            guard v.isFinite else { throw SignatureError("feature '\(key)' is not finite for this case") }
            return v
        }
    }
}

extension RadiomicsFeature {
    /// The name a signature uses for this row: the IBSI tag, plus `@` and the aggregation when there is one.
    public var key: String { aggregation.isEmpty ? tag : tag + "@" + aggregation }
}
