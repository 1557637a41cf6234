import Foundation

/// The self-contained HTML report of a liver analysis: images embedded as PNG data URIs, every number in
/// tables, each lesion's plain-language sentence and the measured features with the thresholds used.
/// The page has no scripts and no external resources; it holds no wall-clock times, so it is deterministic.
public enum LiverReportHTML {
    /// The page for `output`; `note` is shown under the title (e.g. the dose of a phantom acquisition).
    public static func page(_ output: LiverAnalyzer.Output, note: String = "") throws -> String {
        let r = output.result
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func png(_ image: RGBImage, _ alt: String) throws -> String {
            "<img alt=\"\(esc(alt))\" src=\"data:image/png;base64,\(try PNGWriter.encode(image).base64EncodedString())\">"
        }
        func f(_ x: Double, _ digits: Int = 1) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "–" }
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Hepatix liver report: \(esc(r.study))</title>
        <style>
        body { font-family: sans-serif; margin: 2em; color: #222; background: #fff; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; } td, th { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
        th { background: #eee; } td.text { text-align: left; } .category { font-weight: bold; font-size: 1.2em; }
        .swatch { display: inline-block; width: 1em; height: 1em; margin-right: 0.3em; vertical-align: middle; }
        img { image-rendering: pixelated; border: 1px solid #888; margin: 0.3em 0; }
        </style></head><body>
        <h1>Liver analysis: \(esc(r.study))</h1>
        <p>\(esc(note))</p>
        <p>Computer-generated measurements for review by a radiologist; LI-RADS v2018 CT categories follow the diagnostic
        table from measured features ("if unsure, absent").</p>
        <h2>Liver and Couinaud segments</h2>
        """
        let (overview, slice) = try LiverReportImages.overview(output)
        html += "<p>" + (try png(overview, "portal venous slice \(slice) with Couinaud segments")) + "</p>\n<p>"
        for (index, colour) in LiverReportImages.segmentColours.enumerated() {
            html += "<span class=\"swatch\" style=\"background: rgb(\(colour.red),\(colour.green),\(colour.blue))\"></span>\(CouinaudPlanes.roman(UInt8(index + 1))) &nbsp; "
        }
        html += "</p>\n"
        if let problem = r.couinaudProblem { html += "<p>Couinaud segments unavailable: \(esc(problem)).</p>\n" }
        html += "<table><tr><th>liver</th>" + (r.segmentVolumesML.isEmpty ? "" : (1...8).map { "<th>\(CouinaudPlanes.roman(UInt8($0)))</th>" }.joined()) + "</tr>\n"
        html += "<tr><td>\(f(r.liverVolumeML, 0)) mL</td>" + r.segmentVolumesML.map { "<td>\(f($0, 0)) mL</td>" }.joined() + "</tr></table>\n"
        if let occlusion = output.liverOcclusion {
            html += "<h3>Liver network: occlusion map</h3>\n<p>" + (try png(LiverReportImages.occlusionPicture(occlusion), "occlusion map of the liver network"))
            html += "<br>The liver was segmented by the CNN path. Green: where the network's liver probability exceeds one half. Red: image "
                + "regions (\(occlusion.patch) x \(occlusion.patch) pixels at a time, covered with fat) whose covering lowers the network's "
                + "summed liver probability most, i.e. the evidence its decision rests on; blue: covering raises it. "
                + "Largest fall: \(f(100 * Double(occlusion.sensitivity.max() ?? 0), 1)) %.</p>\n"
        }
        if !r.futureLiverRemnants.isEmpty {
            html += "<h3>Future liver remnant</h3>\n<table><tr><th>resection</th><th>removes</th><th>remnant</th><th>of the functional liver</th><th>lesions left</th></tr>\n"
            for flr in r.futureLiverRemnants {
                html += "<tr><td>\(esc(flr.resection.name))</td><td>\(flr.resection.resectedSegments.map { CouinaudPlanes.roman(UInt8($0)) }.joined(separator: ", "))</td>"
                    + "<td>\(f(flr.remnantML, 0)) mL</td><td>\(f(100 * flr.remnantFraction, 0)) %</td><td>\(flr.lesionsLeft.isEmpty ? "none" : flr.lesionsLeft.map(String.init).joined(separator: ", "))</td></tr>\n"
            }
            html += "</table>\n<p class=\"note\">Remnant = functional volume (lesions excluded) of the segments left, over the whole liver's; "
                + "usual minimums: \(FutureLiverRemnant.minimumFractions.map { "\(Int(100 * $0.fraction)) % for \($0.condition)" }.joined(separator: ", ")). "
                + "Not standardised to body surface area.</p>\n"
        }
        html += "<h2>Lesions (\(r.lesions.count))</h2>\n"
        if r.lesions.isEmpty { html += "<p>No lesion found.</p>\n" }
        for lesion in r.lesions {
            html += "<h3>Observation \(lesion.number): <span class=\"category\">\(lesion.category.rawValue)</span></h3>\n"
            html += "<p>\(esc(lesion.sentence)). \(esc(lesion.reason)). Management: \(esc(lesion.category.management)).</p>\n"
            html += "<p>" + (try png(LiverReportImages.phasePanel(output, lesion: lesion), "observation \(lesion.number) in each phase")) + "<br>"
            html += "unenhanced, late arterial, portal venous, delayed (phases present); yellow: lesion; cyan: liver reference 5–20 mm around it"
            if output.acquiredPhases != nil {
                html += r.lesionsFromAcquiredPhases
                    ? ". Rows: denoised, acquired (the lesion was found and measured here), and the denoising network's change"
                    : ". Rows: denoised (analysed), acquired, and the denoising network's change"
                html += " (red: brightened, blue: darkened, full colour at ±25 HU)"
            }
            html += "</p>\n"
            html += """
            <table><tr><th>long axis</th><th>short axis</th><th>volume</th><th>segment</th><th>confidence</th></tr>
            <tr><td>\(f(lesion.longAxisMM)) mm</td><td>\(f(lesion.shortAxisMM)) mm</td><td>\(f(lesion.volumeML, 2)) mL</td>
            <td>\(CouinaudPlanes.roman(UInt8(lesion.segment)))</td><td>\(f(lesion.confidence, 2))</td></tr></table>
            <table><tr><th>HU</th><th>unenhanced</th><th>late arterial</th><th>portal venous</th><th>delayed</th></tr>\n
            """
            var rows = [("core", lesion.attenuation.core), ("rim", lesion.attenuation.rim), ("liver reference", lesion.attenuation.liver)]
            if let before = lesion.attenuationBeforeDenoising {
                rows = rows.map { ($0.0 + ", denoised", $0.1) }
                    + [("core, acquired", before.core), ("rim, acquired", before.rim), ("liver reference, acquired", before.liver)]
            }
            for (name, values) in rows {
                html += "<tr><td class=\"text\">\(name)</td>" + (0..<4).map { "<td>\(f(values[$0], 0))</td>" }.joined() + "</tr>\n"
            }
            html += "</table>\n<table><tr><th>feature</th><th>quantity</th><th>value</th><th>threshold</th><th>margin</th><th>present</th></tr>\n"
            for feature in lesion.features {
                html += "<tr><td class=\"text\">\(esc(feature.name))</td><td class=\"text\">\(esc(feature.quantity))</td><td>\(f(feature.value))</td>"
                html += "<td>\(f(feature.threshold))</td><td>\(f(feature.margin))</td><td>\(feature.present ? "yes" : "no")</td></tr>\n"
            }
            html += "</table>\n"
            if let evidence = lesion.networkEvidence, let map = output.lesionEvidence[lesion.number] {
                html += "<h4>Lesion network: occlusion map</h4>\n<p>" + (try png(LiverReportImages.occlusionPicture(map, zoom: 4),
                                                                               "occlusion map of the lesion network around observation \(lesion.number)"))
                html += "<br>" + esc(LesionExplanation.networkSentence(evidence)) + " Green: where the network's lesion probability exceeds one "
                    + "half (portal venous image on the network's grid); red: squares of \(map.patch) x \(map.patch) pixels whose "
                    + "making liver-like in every phase lowers it most, i.e. the evidence its decision rests on; blue: raises it. "
                    + "Largest fall: \(f(100 * Double(map.sensitivity.max() ?? 0), 0)) %.</p>\n"
            }
        }
        html += "<h2>Image quality and registration</h2>\n<table><tr><th>phase</th><th>liver median HU</th><th>liver noise SD, HU</th></tr>\n"
        for phase in ContrastPhase.acquisitionOrder where r.liverHU[phase.index].isFinite {
            html += "<tr><td class=\"text\">\(phase.rawValue)</td><td>\(f(r.liverHU[phase.index]))</td><td>\(f(r.liverNoiseHU[phase.index]))</td></tr>\n"
        }
        html += "</table>\n<table><tr><th>phase</th><th>shift x, y, z (mm)</th><th>rotation (°)</th><th>scale</th><th>correlation before → after</th></tr>\n"
        for reg in r.registrations {
            let p = reg.parameters
            html += "<tr><td class=\"text\">\(esc(reg.phase))</td><td>\(f(p[0])), \(f(p[1])), \(f(p[2]))</td>"
            html += "<td>\(f(p[3] * 180 / .pi, 2)), \(f(p[4] * 180 / .pi, 2)), \(f(p[5] * 180 / .pi, 2))</td>"
            html += "<td>\(f(p[6], 3)), \(f(p[7], 3)), \(f(p[8], 3))</td><td>\(f(reg.correlationBefore, 4)) → \(f(reg.correlationAfter, 4))</td></tr>\n"
        }
        html += "</table>\n<p>Generated by Hepatix \(esc(BuildInfo.versionString)).</p>\n</body></html>\n"
        return html
    }
}
