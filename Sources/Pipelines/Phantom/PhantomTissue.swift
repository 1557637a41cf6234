/// The tissues of the synthetic abdomen and their attenuation (HU) in each contrast phase. Values follow
/// typical published multiphase liver CT figures (late arterial aorta ~300 HU, portal venous liver
/// ~110 HU in a cirrhotic liver, delayed blood pool ~110 HU); lesion tissues live in `PhantomLesionKind`.
public enum PhantomTissue: UInt8, Sendable, Codable, CaseIterable {
    case air = 0, fat, muscle, bone, spinalCanal, liver, spleen, kidney, aorta, inferiorVenaCava, portalVein, hepaticVein, lesion

    /// HU in unenhanced, late arterial, portal venous and delayed phase.
    public var hounsfield: SIMD4<Float> {
        switch self {
        case .air: return SIMD4(repeating: -1000)
        case .fat: return SIMD4(repeating: -100)
        case .muscle: return SIMD4(50, 60, 65, 60)
        case .bone: return SIMD4(repeating: 450)
        case .spinalCanal: return SIMD4(repeating: 25)
        case .liver: return SIMD4(55, 75, 110, 90)
        case .spleen: return SIMD4(45, 125, 115, 95)
        case .kidney: return SIMD4(35, 180, 170, 140)
        case .aorta: return SIMD4(40, 300, 160, 115)
        case .inferiorVenaCava: return SIMD4(40, 90, 150, 115)
        case .portalVein: return SIMD4(40, 150, 185, 120)
        case .hepaticVein: return SIMD4(40, 55, 165, 115)
        case .lesion: return SIMD4(repeating: .nan)   // per lesion, see PhantomLesionKind
        }
    }
}
