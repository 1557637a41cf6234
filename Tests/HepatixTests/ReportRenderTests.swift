import Foundation
import Testing
@testable import Hepatix

/// The HTML report of the default phantom study renders in headless Chromium (installed by
/// `make test-env`): no console errors, and the screenshot, decoded by Pillow in the test Python, is
/// neither blank nor only text — it holds the overview with its segment tints and the phase panels with
/// their yellow lesion and cyan reference outlines.
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
            cyan = sum(1 for r, g, b in px if r < 80 and g > 180 and b > 200)
            tinted = sum(1 for r, g, b in px if max(r, g, b) - min(r, g, b) > 40)
            print("STATS", im.size[0], im.size[1], round(nonwhite, 4), yellow, cyan, tinted)
            """, [shot])
        let line = stats.split(separator: "\n").last { $0.hasPrefix("STATS") } ?? ""
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        try #require(fields.count == 6, "unexpected screenshot statistics: \(stats)")
        print("report screenshot: \(Int(fields[0]))x\(Int(fields[1])), \(fields[2] * 100) % non-white, \(Int(fields[3])) yellow, "
              + "\(Int(fields[4])) cyan, \(Int(fields[5])) tinted pixels")
        #expect(fields[0] == 1280 && fields[1] == 2400)
        // A blank page is 0 % non-white; the default study's page measured 12.8 % (text, tables, the overview
        // and two phase panels in the first 2400 px), text alone a few percent.
        #expect(fields[2] > 0.05)
        // Lesion outlines (yellow) and liver reference outlines (cyan) on the phase panels, segment tints on the
        // overview: thousands of pixels each when the images decode (measured 3596 yellow), none when they fail.
        #expect(fields[3] > 500)
        #expect(fields[4] > 500)
        #expect(fields[5] > 2000)
    }
}
