import Foundation
import Testing
@testable import Hepatix

/// The HTML report of the default phantom study renders in headless Chromium (installed by
/// `make test-env`): no console errors, and the screenshot, decoded by Pillow in the test Python, is
/// neither blank nor only text — it holds the overview and phase panels (many distinct colours, the
/// segment tints and the yellow lesion outlines).
struct ReportRenderTests {
    @Test func reportRendersInHeadlessChromium() throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw DicomTestError("no \(chromium): run `make test-env` (make test does)")
        }
        let phantom = try AbdomenStudy.render(seed: 1)
        let output = try LiverAnalyzer().analyze(phantom.study)
        let folder = try DicomTestSupport.temporaryFolder("report")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/report.html", shot = folder + "/shot.png"
        try LiverReportHTML.page(output, note: "render test").write(toFile: page, atomically: true, encoding: .utf8)
        let (status, log) = try DicomTestSupport.run(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
            "--user-data-dir=\(folder)/profile", "--window-size=1280,2400", "--screenshot=\(shot)", "file://\(page)"])
        #expect(status == 0, "chromium failed: \(log)")
        let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleErrors.isEmpty, "console: \(consoleErrors)")
        let stats = try DicomTestSupport.python("""
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]).convert("RGB")
            px = list(im.getdata())
            nonwhite = sum(1 for r, g, b in px if min(r, g, b) < 235) / len(px)
            yellow = sum(1 for r, g, b in px if r > 200 and g > 200 and b < 80)
            print(im.size[0], im.size[1], round(nonwhite, 4), len(set(px)), yellow)
            """, [shot])
        let fields = stats.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(fields.count == 5, "unexpected screenshot statistics: \(stats)")
        print("report screenshot: \(Int(fields[0]))x\(Int(fields[1])), \(fields[2] * 100) % non-white, \(Int(fields[3])) colours, \(Int(fields[4])) yellow pixels")
        // Text alone covers a few percent of a white page in a handful of grey levels; the grey-scale
        // CT panels and tinted overview need thousands of colours and a fifth of the page at least.
        #expect(fields[2] > 0.2)
        #expect(fields[3] > 2000)
        // Each lesion's outline is drawn in yellow on its phase panel.
        #expect(fields[4] > 50)
    }
}
