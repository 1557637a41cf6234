import Foundation

/// Comma-separated text: fields split on commas outside double quotes (a doubled quote inside a quoted
/// field is a literal quote), lines on any newline (so CRLF files read alike).
public enum CSV {
    /// The fields of one line.
    public static func fields(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", quoted = false, previousWasQuote = false
        for c in line {
            if c == "\"" {
                if quoted && previousWasQuote { current.append("\""); previousWasQuote = false; continue }
                quoted.toggle()
                previousWasQuote = !quoted
                continue
            }
            previousWasQuote = false
            if c == "," && !quoted { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        return fields
    }

    /// The non-empty lines of `text`, split into fields.
    public static func rows(_ text: String) -> [[String]] {
        text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.map(fields)
    }

    /// `field` quoted when it holds a comma, quote or newline.
    public static func escaped(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
