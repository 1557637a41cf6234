/// A matched projector pair for iterative reconstruction: `A` (forward) and its exact adjoint `Aᵀ`,
/// so ⟨A x, y⟩ = ⟨x, Aᵀ y⟩ holds to float rounding.
///
/// Volumes are `[k][i][j]` (`grid.count` floats, 1/mm); projections `[view][row][column]` (line
/// integrals). A pair owns scratch memory sized at creation and serialises its calls (a lock);
/// nothing is allocated per call in the fast pairs.
public protocol ProjectorPair: AnyObject, Sendable {
    /// The scan and the volume grid.
    var geometry: ProjectionGeometry { get }
    var grid: VolumeGrid { get }

    /// `projections = A volume` for the views in `views` (all if nil); other views are left untouched.
    func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                 views: [Int]?)

    /// `volume = Aᵀ projections`, summed over the views in `views` (all if nil); overwrites `volume`.
    func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                 views: [Int]?)
}

extension ProjectorPair {
    /// Projection floats: views × rows × columns.
    public var projectionCount: Int { geometry.views.count * geometry.rows * geometry.columns }

    /// Traps on a call with wrong buffer sizes or more threads than the pair's scratch was sized for (plans
    /// check sizes before they call; this guards the pair's own memory).
    func requireCall(volume: Int, projections: Int, threads: Int, maxThreads: Int) {
        precondition(volume == grid.count && projections == projectionCount && threads <= maxThreads,
                     "projector called with \(volume) voxels, \(projections) projection floats and \(threads) threads")
    }

    /// `projections = A volume` over all views.
    public func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool) {
        forward(volume, into: projections, pool: pool, views: nil)
    }

    /// `volume = Aᵀ projections` over all views.
    public func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool) {
        adjoint(projections, into: volume, pool: pool, views: nil)
    }
}

/// The projector pairs Hepatix offers.
public enum ProjectorKind: String, Sendable, CaseIterable {
    /// Ray-driven Joseph (linear interpolation on the planes of each ray's dominant axis).
    case joseph
    /// The scalar Joseph reference (slow; for tests and CPUs without AVX2).
    case josephReference = "joseph-reference"
    /// Joseph averaged over sub-rays across each detector pixel: a strip (2D) or area (3D) integral
    /// over the detector aperture (`StripJoseph`).
    case josephStrip = "joseph-strip"
}

/// Creates the fastest pair of `kind` that this CPU runs for `geometry` and `grid`.
/// - Parameter maxThreads: the largest `WorkerPool.threads` the pair will be called with (sizes scratch).
/// - Throws: `GeometryError` for a geometry the pair cannot project.
public func makeProjector(_ kind: ProjectorKind = .joseph, geometry: ProjectionGeometry, grid: VolumeGrid,
                          tier: KernelTier = .detected, maxThreads: Int) throws -> any ProjectorPair {
    switch kind {
    case .josephReference:
        return try JosephProjector(geometry: geometry, grid: grid)
    case .josephStrip:
        return try StripJoseph(geometry: geometry, grid: grid, tier: tier, maxThreads: maxThreads)
    case .joseph:
        guard tier >= .avx2 else { return try JosephProjector(geometry: geometry, grid: grid) }
        if geometry.is2D { return try FastJoseph2D(geometry: geometry, grid: grid, maxThreads: maxThreads) }
        if let cone = try FastJosephCone(geometry: geometry, grid: grid, maxThreads: maxThreads) { return cone }
        return try JosephProjector(geometry: geometry, grid: grid)
    }
}
