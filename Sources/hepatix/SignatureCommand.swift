import Foundation
import Hepatix

/// `hepatix signature fit|apply`: builds and applies radiomic signatures (`Signature`).
///
///     fit   --table CASES.csv --target COLUMN [--id COLUMN] --kind lasso|random-forest --out MODEL.json
///           [--folds K] [--one-se] [--trees N] [--mtry M] [--seed S] [--threads N]
///     apply --model MODEL.json (--features FEATURES.csv | --table CASES.csv [--id COLUMN])
///
/// CASES.csv has a header of feature keys (`tag` or `tag@aggregation`, as `hepatix radiomics` names
/// rows) plus the target; FEATURES.csv is one case as printed by `hepatix radiomics`.
enum SignatureCommand {
    static func run(_ args: ArraySlice<String>) throws {
        guard let verb = args.first else { throw CLIError("signature needs fit or apply") }
        let a = try Arguments(args.dropFirst(), valued: ["--table", "--target", "--id", "--kind", "--out", "--folds", "--trees",
                                                         "--mtry", "--seed", "--threads", "--model", "--features"], flags: ["--one-se"])
        switch verb {
        case "fit": try fit(a)
        case "apply": try apply(a)
        default: throw CLIError("unknown signature command '\(verb)'; fit or apply")
        }
    }

    static func fit(_ a: Arguments) throws {
        let (table, target) = try FeatureTable.load(csv: try a.required("--table"), target: try a.required("--target"), id: a["--id"])
        let seed = UInt64(bitPattern: Int64(try a.int("--seed", default: 1)))
        let signature: Signature
        switch try a.required("--kind") {
        case "lasso":
            let m = try LassoModel.fit(table, target: target, folds: try a.int("--folds", default: 5), seed: seed, oneStandardError: a.has("--one-se"))
            let kept = m.features.indices.filter { m.coefficients[$0] != 0 }
            print(String(format: "LASSO: lambda %.4g, cross-validated MSE %.4g, %d of %d features kept", m.lambda, m.crossValidatedError, kept.count, m.features.count))
            for j in kept { print("  \(m.features[j]): \(m.coefficients[j])") }
            signature = .lasso(m)
        case "random-forest":
            let mtry = try a.int("--mtry", default: 0)
            let f = try RandomForest.fit(table, target: target, trees: try a.int("--trees", default: 500), mtry: mtry > 0 ? mtry : nil,
                                         seed: seed, threads: try a.int("--threads", default: 0))
            print(String(format: "random forest: %d trees, %@, out-of-bag %@ %.4g", f.trees.count,
                         f.classes.isEmpty ? "regression" : "\(f.classes.count) classes",
                         f.classes.isEmpty ? "MSE" : "error rate", f.outOfBagError))
            signature = .forest(f)
        case let other: throw CLIError("unknown kind '\(other)'; lasso or random-forest")
        }
        let out = try a.required("--out")
        guard FileManager.default.createFile(atPath: out, contents: try signature.json()) else { throw CLIError("cannot write \(out)") }
    }

    static func apply(_ a: Arguments) throws {
        let path = try a.required("--model")
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        let signature = try Signature.read(data)
        if let features = a["--features"] {
            guard let text = try? String(contentsOfFile: features, encoding: .utf8) else { throw CLIError("cannot read \(features)") }
            let rows = CSV.rows(text).dropFirst().compactMap { f -> RadiomicsFeature? in
                guard f.count == 4 else { return nil }
                return RadiomicsFeature(tag: f[0], code: f[1], aggregation: f[2], value: Double(f[3]) ?? .nan)
            }
            print(try signature.score(rows))
        } else {
            let lines = CSV.rows(try String(contentsOfFile: try a.required("--table"), encoding: .utf8))
            guard let header = lines.first else { throw CLIError("the table is empty") }
            let columns = try signature.features.map { key -> Int in
                guard let k = header.firstIndex(of: key) else { throw CLIError("the table has no column '\(key)'") }
                return k
            }
            let id = a["--id"].flatMap { header.firstIndex(of: $0) }
            for line in lines.dropFirst() {
                let x = try columns.map { k -> Double in
                    guard k < line.count, let v = Double(line[k]), v.isFinite else { throw CLIError("'\(header[k])' is not a finite number in \(line)") }
                    return v
                }
                print((id.map { line[$0] + "," } ?? "") + "\(signature.score(x))")
            }
        }
    }
}
