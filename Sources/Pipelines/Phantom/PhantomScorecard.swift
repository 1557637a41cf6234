/// The acceptance figures over many phantom studies: liver and Couinaud Dice, detection sensitivity for
/// lesions of 10 mm or more, false positives per study, median absolute long-axis error of detected
/// lesions, and exact LI-RADS agreement of detected lesions.
public struct PhantomScorecard: Sendable, Codable {
    public let studies: Int
    public let meanLiverDice: Double, minimumLiverDice: Double
    public let meanSegmentDice: Double
    public let lesions10mm: Int, detected10mm: Int
    public let falsePositivesPerStudy: Double
    public let medianLongAxisErrorMM: Double
    public let categoryAgreement: Double, categorized: Int
    public let worstRegistrationErrorMM: Double
    /// Mean and worst |measured − true| future liver remnant fraction over every study and resection, percentage points.
    public let meanRemnantErrorPoints: Double, worstRemnantErrorPoints: Double
    /// Mean liver noise SD (HU) and median lesion contrast-to-noise in the portal venous images.
    public let meanLiverNoiseHU: Double, medianContrastToNoise: Double

    /// Sensitivity for lesions of 10 mm or more.
    public var sensitivity10mm: Double { Double(detected10mm) / Double(max(1, lesions10mm)) }

    /// Aggregates per-study evaluations.
    public init(_ evaluations: [PhantomEvaluation]) {
        studies = evaluations.count
        let dice = evaluations.map(\.liverDice)
        meanLiverDice = dice.reduce(0, +) / Double(max(1, dice.count))
        minimumLiverDice = dice.min() ?? .nan
        meanSegmentDice = evaluations.map(\.meanSegmentDice).reduce(0, +) / Double(max(1, studies))
        let all = evaluations.flatMap(\.lesions)
        let big = all.filter { $0.truthLongAxisMM >= 10 }
        (lesions10mm, detected10mm) = (big.count, big.filter { $0.detected != nil }.count)
        falsePositivesPerStudy = Double(evaluations.map(\.falsePositives).reduce(0, +)) / Double(max(1, studies))
        let found = all.filter { $0.detected != nil }
        medianLongAxisErrorMM = LiverSegmenter.median(found.map { abs($0.measuredLongAxisMM! - $0.truthLongAxisMM) })
        categorized = found.count
        categoryAgreement = Double(found.filter { $0.measuredCategory == $0.truthCategory }.count) / Double(max(1, found.count))
        worstRegistrationErrorMM = evaluations.flatMap { $0.registrationErrorMM.values }.max() ?? 0
        let remnantErrors = evaluations.flatMap(\.remnantErrorPoints)
        meanRemnantErrorPoints = remnantErrors.reduce(0, +) / Double(max(1, remnantErrors.count))
        worstRemnantErrorPoints = remnantErrors.max() ?? .nan
        meanLiverNoiseHU = evaluations.map(\.liverNoiseHU).reduce(0, +) / Double(max(1, studies))
        medianContrastToNoise = LiverSegmenter.median(all.map(\.contrastToNoise).filter(\.isFinite))
    }

    /// One line per figure, for logs and the closing note.
    public var summary: String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        return """
        studies \(studies): liver Dice mean \(f(meanLiverDice)) (min \(f(minimumLiverDice))), Couinaud mean Dice \(f(meanSegmentDice))
        lesions >= 10 mm: \(detected10mm)/\(lesions10mm) detected (sensitivity \(f(sensitivity10mm))), false positives \(f(falsePositivesPerStudy, 2)) per study
        long axis median abs error \(f(medianLongAxisErrorMM, 2)) mm; LI-RADS exact agreement \(f(categoryAgreement)) over \(categorized) detected lesions
        worst registration error over the liver \(f(worstRegistrationErrorMM, 2)) mm
        future liver remnant fraction error: mean \(f(meanRemnantErrorPoints, 2)), worst \(f(worstRemnantErrorPoints, 2)) percentage points
        portal venous image: liver noise SD \(f(meanLiverNoiseHU, 1)) HU, median lesion contrast-to-noise \(f(medianContrastToNoise, 1))
        """
    }
}
