/// Minimal `--flag value` parser for the CLI: unknown flags are errors, never ignored.
struct Arguments {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Parses `args` against the flags that take a value (`valued`) and bare switches (`flags`).
    init(_ args: ArraySlice<String>, valued: Set<String>, flags: Set<String> = []) throws {
        var it = args.makeIterator()
        while let a = it.next() {
            if flags.contains(a) { switches.insert(a); continue }
            guard valued.contains(a) else { throw CLIError("unknown option '\(a)'") }
            guard let v = it.next() else { throw CLIError("option \(a) needs a value") }
            values[a] = v
        }
    }

    /// The value of `flag`, if given.
    subscript(_ flag: String) -> String? { values[flag] }

    /// True if the switch was given.
    func has(_ flag: String) -> Bool { switches.contains(flag) }

    /// The value of `flag`, or an error naming it.
    func required(_ flag: String) throws -> String {
        guard let v = values[flag] else { throw CLIError("missing required option \(flag)") }
        return v
    }

    /// `flag` as an integer, or `fallback`.
    func int(_ flag: String, default fallback: Int) throws -> Int {
        guard let s = values[flag] else { return fallback }
        guard let v = Int(s) else { throw CLIError("\(flag) expects an integer, got '\(s)'") }
        return v
    }
}

/// A user-facing CLI error (printed, exit code 2).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
