import Foundation

/// A one-line progress bar on standard error (silent when stderr is not a terminal).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(2) != 0
    private var last = -1

    init(label: String) { self.label = label }

    /// Draws `fraction` and the current stage's name; always returns true (never cancels).
    func update(_ fraction: Double, _ stage: String = "") -> Bool {
        guard enabled else { return true }
        let pct = Int(fraction * 100)
        if pct != last || !stage.isEmpty {
            last = pct
            let filled = pct * 30 / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            let note = stage.isEmpty ? "" : " " + stage
            FileHandle.standardError.write("\r\(label) [\(bar)] \(pct)%\(note)\u{1B}[K".data(using: .utf8)!)
        }
        return true
    }

    /// Ends the line.
    func finish() { if enabled && last >= 0 { FileHandle.standardError.write("\n".data(using: .utf8)!) } }
}
