import Foundation

extension PhantomLesionKind {
    /// HCC and metastases: the lesions that grow or shrink between studies; the benign kinds stay as they were.
    public var isMalignant: Bool { self == .hcc || self == .hypovascularMetastasis || self == .rimMetastasis }
}

extension AbdomenAnatomy {
    /// The same patient at a later study: every malignant lesion scaled by `growth` along each axis (benign ones
    /// unchanged), and the whole patient moved by `shift` (mm) and turned by `rotation` (radians about z) in every
    /// phase, on top of each phase's own misregistration. The patient's move is a scanner-side shift, so truth
    /// label maps rendered from it stay in the anatomy's own frame; lesion numbers and sizes are the truth to use.
    public func followUp(growth: Double, shift: SIMD3<Double>, rotation: Double) -> AbdomenAnatomy {
        let grown = lesions.map { lesion in
            PhantomLesion(number: lesion.number, kind: lesion.kind, centre: lesion.centre,
                          semiAxes: lesion.kind.isMalignant ? lesion.semiAxes * growth : lesion.semiAxes, angle: lesion.angle,
                          veinTumour: lesion.veinTumour)
        }
        return AbdomenAnatomy(seed: seed, shapes: shapes, liverLobes: liverLobes, cavaAxis: cavaAxis, confluenceZ: confluenceZ,
                              hepaticVeinAzimuths: hepaticVeinAzimuths, portalBifurcationZ: portalBifurcationZ, lesions: grown,
                              phaseShifts: phaseShifts.map { $0 + shift }, phaseRotations: phaseRotations.map { $0 + rotation })
    }
}
