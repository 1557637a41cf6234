/// Zero-padded storage for filtered projections in the layout a backprojection kernel reads.
///
/// 2D geometries keep one row per view, `[view][padding + column]`. 3D geometries keep each view
/// transposed, `[view][column + 1][padding + row]`, with one zero column on each side, so that a
/// voxel column along z reads contiguous detector rows. Padding (32 zeros) lets kernels load fixed
/// 16-sample windows without bounds checks.
public final class ProjectionStore: @unchecked Sendable {
    /// Zero samples before the first and after the last detector sample along the padded axis.
    public static let padding = 32

    /// Detector columns and rows, and views.
    public let columns: Int, rows: Int, views: Int
    /// True when views are stored transposed (3D layout).
    public let transposed: Bool
    /// Floats between consecutive views, columns and rows.
    public let viewStride: Int, columnStride: Int, rowStride: Int
    /// Offset of sample (view 0, row 0, column 0).
    public let origin: Int
    /// The samples, 64-byte aligned, zero outside the detector.
    public let storage: UnsafeMutableBufferPointer<Float>

    /// Allocates zeroed storage for `views` projections of `rows` × `columns`.
    /// - Throws: `GeometryError.invalidParameter` when the buffer would exceed 2^36 floats.
    public init(views: Int, rows: Int, columns: Int) throws {
        self.views = views
        self.rows = rows
        self.columns = columns
        let pad = Self.padding
        transposed = rows > 1
        if transposed {
            rowStride = 1
            columnStride = rows + 2 * pad
            viewStride = (columns + 2) * columnStride
            origin = columnStride + pad
        } else {
            columnStride = 1
            rowStride = 0
            viewStride = columns + 2 * pad
            origin = pad
        }
        let (total, overflow) = viewStride.multipliedReportingOverflow(by: views)
        try require(!overflow && total <= 1 << 36, "filtered projections of \(views) x \(rows) x \(columns) need too much memory")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: total * 4, alignment: 64)
        storage = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: total), count: total)
        storage.initialize(repeating: 0)
    }

    deinit { UnsafeMutableRawPointer(storage.baseAddress!).deallocate() }

    /// Offset of sample (view, row, column).
    @inline(__always) public func offset(view: Int, row: Int, column: Int) -> Int {
        origin + view * viewStride + row * rowStride + column * columnStride
    }
}
