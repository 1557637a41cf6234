/// IBSI's diagnostic features of the preprocessing steps (`ibsi1_diagnostic_values.csv`): grid and voxel
/// sizes and intensity range of the image (`init_img`, after interpolation `interp_img`), and the
/// intensity mask's grid size, bounding box, voxel count and intensity range as given (`init_roi`), after
/// interpolation (`interp_roi`) and after re-segmentation (`reseg_roi`). They show which preprocessing
/// step departs from the reference when a feature does.
public enum PreprocessingDiagnostics {
    /// All five stages for `original` under `configuration`, keyed by IBSI's tag (`mean_int_init_img`).
    /// - Throws: `RadiomicsError` from interpolation or re-segmentation.
    public static func values(_ original: RadiomicsImage, configuration: IBSIConfiguration) throws -> [String: Double] {
        let interpolated = try configuration.prepare(original)
        let resegmented = try RadiomicsExtractor(settings: configuration.settings).intensityMask(interpolated)
        var out: [String: Double] = [:]
        for (stage, image) in [("init_img", original), ("interp_img", interpolated)] {
            out.merge(imageValues(image, stage: stage)) { a, _ in a }
        }
        for (stage, image, mask) in [("init_roi", original, original.mask), ("interp_roi", interpolated, interpolated.mask),
                                     ("reseg_roi", interpolated, resegmented)] {
            out.merge(maskValues(image, mask: mask, stage: stage)) { a, _ in a }
        }
        return out
    }

    static func imageValues(_ image: RadiomicsImage, stage: String) -> [String: Double] {
        let v = image.values
        return ["img_dim_x_\(stage)": Double(image.nx), "img_dim_y_\(stage)": Double(image.ny), "img_dim_z_\(stage)": Double(image.nz),
                "vox_dim_x_\(stage)": image.spacing.x, "vox_dim_y_\(stage)": image.spacing.y, "vox_dim_z_\(stage)": image.spacing.z,
                "mean_int_\(stage)": v.reduce(0, +) / Double(v.count), "min_int_\(stage)": v.min() ?? .nan, "max_int_\(stage)": v.max() ?? .nan]
    }

    static func maskValues(_ image: RadiomicsImage, mask: [Bool], stage: String) -> [String: Double] {
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(Int.min, Int.min, Int.min)
        var count = 0, sum = 0.0, low = Double.infinity, high = -Double.infinity
        var i = 0
        for z in 0..<image.nz { for y in 0..<image.ny { for x in 0..<image.nx {
            if mask[i] {
                (lo, hi) = (pointwiseMin(lo, SIMD3(x, y, z)), pointwiseMax(hi, SIMD3(x, y, z)))
                count += 1; sum += image.values[i]
                (low, high) = (min(low, image.values[i]), max(high, image.values[i]))
            }
            i += 1
        } } }
        let box = count > 0 ? hi &- lo &+ 1 : .zero
        return ["int_mask_dim_x_\(stage)": Double(image.nx), "int_mask_dim_y_\(stage)": Double(image.ny), "int_mask_dim_z_\(stage)": Double(image.nz),
                "int_mask_bb_dim_x_\(stage)": Double(box.x), "int_mask_bb_dim_y_\(stage)": Double(box.y), "int_mask_bb_dim_z_\(stage)": Double(box.z),
                "int_mask_vox_count_\(stage)": Double(count), "int_mask_mean_int_\(stage)": count > 0 ? sum / Double(count) : .nan,
                "int_mask_min_int_\(stage)": low, "int_mask_max_int_\(stage)": high]
    }
}
