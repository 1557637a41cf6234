import Foundation
import Hepatix

/// The `hepatix` command line: one subcommand per job (see `usage`).
let usage = """
usage: hepatix <command> [options]
  reconstruct --workload DIR/geometry.json [--algorithm fbp|sirt|ossart|cgls|pwls-tv|hybrid] [--iterations N] [--subsets S] [--relaxation L]
              [--beta B] [--delta D] [--blend W] [--warm-start] [--curve CURVE.json]
              [--dose FRACTION [--photons I0] [--seed S]] [--filter ram-lak|shepp-logan|cosine|hamming|hann] [--cutoff C]
              [--threads N] [--volume 256|512] [--repeat K] [--warmup W] --out OUT.f32
  reconstruct --tomo DIR [--algorithm fbp|pwls-tv] [--iterations N] [--beta B] [--delta D] [--threads N] --out OUT.f32
              measured parallel-beam data (flat/dark, -ln, rotation-centre search); prints the centre
  project     --workload DIR/geometry.json [--projector joseph|joseph-strip|joseph-reference] [--threads N] [--repeat K]
              times one forward and one adjoint projection (one SIRT iteration's work), prints JSON
  radiomics   --image DESCRIPTOR.json|IMG.nii[.gz] [--mask MASK.nii[.gz] [--label N]]
              [--config phantom|A|B|C|D|E|settings.json] [--format csv|json] [--threads N] [--repeat K]
              IBSI features (raw + JSON input as in ../shared/conformance/ibsi)
  signature   fit --table CASES.csv --target COL --kind lasso|random-forest --out MODEL.json [--folds K] [--trees N]
              apply --model MODEL.json --features FEATURES.csv | --table CASES.csv
              radiomic signatures: LASSO with k-fold CV, or a random forest; JSON models
  dicom       ls PATH... | convert PATH... --out OUT.nii[.gz] [--series N|UID | --phase arterial|...] [--threads N]
              | load PATH... [--series|--phase] [--threads N] [--repeat K]
              list studies/series (contrast phases, slice problems), convert a CT series to NIfTI (HU),
              or time loading one (JSON)
  infer       --model M.onnx --input X.f32 --shape 1,1,512,512 --out Y.f32 [--engine fast|reference] [--threads N] [--repeat K]
              [--patch D,H,W [--overlap 0.5]]   (sliding windows with Gaussian blending)
              runs an ONNX model (CNN engine; the reference interpreter on request), prints timings as JSON
  analyze     DICOM_DIR... | --phantom SEED [--dose FRACTION] [--acquisition image|fbp|ir] [--size NX,NY,NZ]
              [--denoise | --denoiser M.onnx] [--denoise-strength S] [--resect 5,6,7,8]
              [--cnn-liver | --liver-model M.onnx] [--cnn-lesions | --lesion-model M.onnx] [--acquired-seeds]
              [--lesions-on-acquired | --lesions-on-denoised] [--tumour-in-vein] [--threads N] [--out DIR]
              the liver pipeline on the synthetic multiphase study: registration, liver and Couinaud segments,
              lesions, LI-RADS with explanations; writes report.html, analysis.json, NIfTIs and evaluation.json
              (scores against the truth); fbp/ir scan every slice in fan beam and reconstruct it; --denoise runs
              the shipped CNN denoiser (Models/ct-denoise-2.5d.onnx) on every phase first; --resect adds a planned
              resection (segments removed) to the standard ones whose future liver remnant is reported;
              --cnn-liver segments the liver with the shipped CNN (Models/ct-liver-seg-2.5d.onnx) instead of the classical method;
              --cnn-lesions adds the multiphase lesion CNN's proposals (Models/ct-lesion-seg-2.5d.onnx) to the detector's seeds;
              --acquired-seeds (with a denoiser) seeds the detector from the acquired phases as well as the denoised ones;
              with a denoiser, lesions are found and measured in the acquired phases of reconstructed images (DICOM,
              --acquisition fbp|ir) and in the denoised ones under image-domain noise, the denoised phases serving the
              liver, registration and vessel landmarks; --lesions-on-acquired or --lesions-on-denoised choose instead;
              --tumour-in-vein makes the phantom's first HCC invade a portal branch (the LR-TIV case)
  evaluate    [--seeds 1-20] [--dose 1,0.33] [--acquisition image|fbp|ir] [--denoise [--denoise-strength S]] [--cnn-liver] [--cnn-lesions]
              [--acquired-seeds] [--lesions-on-acquired | --lesions-on-denoised] [--tumour-in-vein] [--threads N]
              [--out FILE.json] [--verbose]
              the liver pipeline on many phantom studies, scored against their truth
  followup    BASELINE_DIR FOLLOWUP_DIR --interval-days D | --phantom SEED [--growth G] [--interval-days D] [--dose F]
              [--denoise] [--threads N] [--out DIR]
              two studies of one patient compared: per-lesion long-axis and volume change, LI-RADS threshold
              growth, RECIST 1.1 response (followup.json, both analyses)
  phantom     --seed S [--dose FRACTION] [--acquisition image|fbp|ir] [--size NX,NY,NZ] [--noise-free] [--tumour-in-vein]
              [--registered] [--extension nii|nii.gz] --out DIR
              writes a synthetic multiphase study (phase-*.nii.gz, HU), its truth label maps and lesion list (truth-lesions.json): the training-data recipe
  demo        [--out DIR] [--threads N] [--scans]
              analyse the default phantom study (seed 1) and print where its report is; --scans adds the
              reconstruction demos (analytic scans, FBP/FDK, a dose study) as PNG slices
  info                                      version, CPU tier, library versions
"""

let argv = CommandLine.arguments
do {
    guard argv.count >= 2 else { throw CLIError(usage) }
    let rest = argv[2...]
    switch argv[1] {
    case "reconstruct": try ReconstructCommand.run(rest)
    case "demo": try DemoCommand.run(rest)
    case "analyze": try AnalyzeCommand.run(rest)
    case "evaluate": try EvaluateCommand.run(rest)
    case "phantom": try PhantomCommand.run(rest)
    case "followup": try FollowUpCommand.run(rest)
    case "project": try ProjectCommand.run(rest)
    case "radiomics": try RadiomicsCommand.run(rest)
    case "signature": try SignatureCommand.run(rest)
    case "dicom": try DicomCommand.run(rest)
    case "infer": try InferCommand.run(rest)
    case "info": print(BuildInfo.summary)
    case "-h", "--help", "help": print(usage)
    default: throw CLIError("unknown command '\(argv[1])'\n\(usage)")
    }
} catch {
    FileHandle.standardError.write("hepatix: \(error)\n".data(using: .utf8)!)
    exit(2)
}
