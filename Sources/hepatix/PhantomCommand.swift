import Foundation
import Hepatix

/// `hepatix phantom --seed S [--dose D] [--acquisition image|fbp|ir] [--size NX,NY,NZ] [--noise-free] [--registered] --out DIR`:
/// renders a synthetic multiphase study and writes its phases (`phase-<slug>.nii[.gz]`, HU, float32), truth
/// label maps as NIfTI and the lesion list (`truth-lesions.json`): the data recipe of the models trained under `tools/`. `--registered` writes every phase moved
/// back onto the portal venous frame by its true misregistration (trilinear, as the pipeline's registration
/// resamples): the phases a perfect registration gives, for networks that read the phases together
/// (`tools/denoise/train_denoiser.py --joint`).
enum PhantomCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: PhantomArguments.valued.union(["--seed", "--out", "--extension"]), flags: PhantomArguments.flags.union(["--noise-free", "--registered"]))
        guard let seed = UInt64(try a.required("--seed")) else { throw CLIError("--seed takes a non-negative integer") }
        let out = try a.required("--out")
        let ext = a["--extension"] ?? "nii.gz"
        guard ext == "nii" || ext == "nii.gz" else { throw CLIError("--extension takes nii or nii.gz") }
        var options = try PhantomArguments.options(a)
        if a.has("--noise-free") {
            guard options.acquisition == .image else { throw CLIError("--noise-free renders image-domain studies only") }
            options.noiseHU = 0
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let start = Date()
        let phantom = try AbdomenStudy.render(anatomy: PhantomArguments.anatomy(a, seed: seed), noiseSeed: seed, options: options)
        let phases = a.has("--registered") ? try phantom.phasesOnPortalFrame(threads: options.threads) : phantom.study.phases
        for (phase, volume) in phases {
            try volume.nifti().write(out + "/phase-\(phase.slug).\(ext)")
        }
        try phantom.writeTruthNIfTI(to: out)
        print(String(format: "phantom %llu rendered in %.1f s: ", seed, Date().timeIntervalSince(start)) + options.note(seed: seed))
    }
}
