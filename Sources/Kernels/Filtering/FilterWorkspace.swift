/// Scratch for one worker of a filtering pass: FFT buffers plus a row index per batch slot.
public final class FilterWorkspace: @unchecked Sendable {
    let fft: FFTWorkspace
    /// The padded FFT length of each row in `real`.
    public let paddedLength: Int
    /// Rows per batch.
    public let batch: Int

    /// Buffers for `filter`.
    public init(filter: RampFilter) {
        fft = filter.makeWorkspace()
        paddedLength = filter.paddedLength
        batch = filter.batch
    }

    /// Row `r` of the batch (`paddedLength` floats): write input samples, read filtered output.
    public func row(_ r: Int) -> UnsafeMutablePointer<Float> { fft.real + r * paddedLength }

    /// Zeroes the whole batch (the padding must be zero before every transform).
    public func clear() { fft.real.update(repeating: 0, count: paddedLength * batch) }

    /// Zeroes samples `columns..<paddedLength` of every row: enough when the caller then writes
    /// samples `0..<columns` of every row (the inverse transform leaves the tail non-zero).
    public func clearPadding(after columns: Int) {
        for r in 0..<batch { (row(r) + columns).update(repeating: 0, count: paddedLength - columns) }
    }
}

extension RampFilter {
    /// Filters the rows prepared in `workspace` in place.
    public func filter(_ workspace: FilterWorkspace) { filterBatch(workspace.fft) }
}
