/// Binary morphology with Euclidean balls whose radius is given in millimetres (so anisotropic voxels
/// are handled exactly), built on `EuclideanDistance`. Voxels outside the grid count as "like the
/// border": erosion does not eat a mask that touches the edge of the scan, dilation does not grow from outside.
public enum BinaryMorphology {
    /// Voxels of `mask` whose distance to the nearest voxel outside `mask` exceeds `radius` mm.
    public static func erode(_ mask: [Bool], radius: Double, grid: VolumeGrid, threads: Int = 0) -> [Bool] {
        let d2 = EuclideanDistance.squaredDistance(to: false, in: mask, grid: grid, threads: threads)
        let r2 = Float(radius * radius)
        return d2.map { $0 > r2 }
    }

    /// Voxels within `radius` mm of a voxel of `mask`.
    public static func dilate(_ mask: [Bool], radius: Double, grid: VolumeGrid, threads: Int = 0) -> [Bool] {
        let d2 = EuclideanDistance.squaredDistance(to: true, in: mask, grid: grid, threads: threads)
        let r2 = Float(radius * radius)
        return d2.map { $0 <= r2 }
    }

    /// Opening (erosion then dilation): removes parts thinner than a ball of `radius` mm.
    public static func open(_ mask: [Bool], radius: Double, grid: VolumeGrid, threads: Int = 0) -> [Bool] {
        dilate(erode(mask, radius: radius, grid: grid, threads: threads), radius: radius, grid: grid, threads: threads)
    }

    /// Closing (dilation then erosion): fills gaps and notches narrower than a ball of `radius` mm.
    public static func close(_ mask: [Bool], radius: Double, grid: VolumeGrid, threads: Int = 0) -> [Bool] {
        erode(dilate(mask, radius: radius, grid: grid, threads: threads), radius: radius, grid: grid, threads: threads)
    }

    /// Fills, slice by slice (axial), every background region that does not reach the slice's edge
    /// (4-connected), so enclosed vessels and lesions become part of an organ mask.
    public static func fillHolesPerSlice(_ mask: [Bool], grid: VolumeGrid) -> [Bool] {
        let (nx, ny) = (grid.nx, grid.ny), plane = nx * ny
        var filled = mask
        var outside = [Bool](repeating: false, count: plane)
        var stack: [Int] = []
        for k in 0..<grid.nz {
            let base = k * plane
            for n in 0..<plane { outside[n] = false }
            func push(_ n: Int) {
                if !mask[base + n] && !outside[n] { outside[n] = true; stack.append(n) }
            }
            for x in 0..<nx { push(x); push((ny - 1) * nx + x) }
            for y in 0..<ny { push(y * nx); push(y * nx + nx - 1) }
            while let n = stack.popLast() {
                let x = n % nx, y = n / nx
                if x > 0 { push(n - 1) }
                if x < nx - 1 { push(n + 1) }
                if y > 0 { push(n - nx) }
                if y < ny - 1 { push(n + nx) }
            }
            for n in 0..<plane where !outside[n] { filled[base + n] = true }
        }
        return filled
    }

    /// Fills every background region that does not reach the volume's faces (6-connected): cavities
    /// enclosed in 3D, which a slice-by-slice fill misses where a slice's ring is open.
    public static func fillHoles(_ mask: [Bool], grid: VolumeGrid) -> [Bool] {
        let (nx, ny, nz, plane) = (grid.nx, grid.ny, grid.nz, grid.nx * grid.ny)
        var outside = [Bool](repeating: false, count: grid.count)
        var stack: [Int] = []
        func push(_ n: Int) {
            if !mask[n] && !outside[n] { outside[n] = true; stack.append(n) }
        }
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx where i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1 {
            push((k * ny + j) * nx + i)
        } } }
        while let n = stack.popLast() {
            let i = n % nx, j = (n / nx) % ny, k = n / plane
            if i > 0 { push(n - 1) }
            if i < nx - 1 { push(n + 1) }
            if j > 0 { push(n - nx) }
            if j < ny - 1 { push(n + nx) }
            if k > 0 { push(n - plane) }
            if k < nz - 1 { push(n + plane) }
        }
        return outside.map { !$0 }
    }
}
