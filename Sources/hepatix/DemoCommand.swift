import Foundation
import Hepatix

/// `hepatix demo`: to be grown into the liver pipeline.
enum DemoCommand {
    static func run(_ args: ArraySlice<String>) throws {
        throw CLIError("demo: not built yet")
    }
}
