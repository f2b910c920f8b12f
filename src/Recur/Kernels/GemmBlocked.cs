// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;

namespace Recur.Kernels;

/// <summary>
/// The BLIS-style blocked GEMM: loops jc (Nc columns) / pc (Kc depth: pack B) / ic (Mc rows: pack A) / jr (Nr) /
/// ir (Mr) around the micro-kernel. The packed Kc x Nr B micro-panel is reused across the ir loop from L1/L2, the
/// Mc x Kc A block stays in L2, the Kc x Nc B block in L3. With several threads, B is packed once (panels split
/// between threads) and the ic blocks are shared out dynamically, each thread packing its own A blocks.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Runs <paramref name="problem"/> (K &gt; 0) on up to <paramref name="threads"/> threads.</summary>
    public static void Run<TKernel>(in GemmProblem problem, GemmBlocking blocking, bool directB, int threads)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int m = problem.M;
        int n = problem.N;
        int k = problem.K;

        // Only the K split changes the arithmetic of an element; it depends on K alone, never on threads.
        int kcStep = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int ncStep = GemmBlocking.Balanced(n, blocking.Nc, nr);
        int mcStep = GemmBlocking.Balanced(m, blocking.Mc, mr);
        if (threads > 1)
        {
            // At least 4 blocks per thread, so dynamic sharing evens out the last one.
            mcStep = Math.Min(mcStep, Math.Max(4 * mr, GemmBlocking.RoundUp((m + (4 * threads) - 1) / (4 * threads), mr)));
        }

        directB &= !problem.TransB;
        float* bPack = GemmBuffers.PackB((directB ? nr : ncStep) * kcStep);
        int blocks = (m + mcStep - 1) / mcStep;
        for (int jc = 0; jc < n; jc += ncStep)
        {
            for (int pc = 0; pc < k; pc += kcStep)
            {
                var step = new PanelStep(problem, jc, Math.Min(ncStep, n - jc), pc, Math.Min(kcStep, k - pc), mcStep, bPack, directB);
                if (threads > 1 && blocks > 1)
                {
                    int packParts = step.PackParts<TKernel>(threads);
                    KernelThreading.For(packParts, threads, (step, packParts), static (s, part) => s.Item1.PackB<TKernel>(part, s.Item2));
                    KernelThreading.For(blocks, threads, step, static (s, block) => s.RunBlock<TKernel>(block));
                }
                else
                {
                    step.PackB<TKernel>(0, 1);
                    for (int block = 0; block < blocks; block++)
                    {
                        step.RunBlock<TKernel>(block);
                    }
                }
            }
        }
    }

    // Same arithmetic as the kernels' store: alpha * acc, or beta * C + alpha * acc.
    private static void MergeEdge(float* tile, int ldt, int rows, int cols, float* c, nint ldc, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + (i * ldt);
            float* ci = c + (i * ldc);
            for (int j = 0; j < cols; j++)
            {
                float v = alpha * t[j];
                ci[j] = beta == 0f ? v : (beta * ci[j]) + v;
            }
        }
    }

    // One (jc, pc) step: the packed Kc x Nc block of B at bPack and the C columns jc..jc+nc it updates.
    private readonly struct PanelStep(GemmProblem problem, int jc, int nc, int pc, int kc, int mcStep, float* bPack, bool directB)
    {
        // Later K blocks add to what the first one wrote.
        private float Beta => pc == 0 ? problem.Beta : 1f;

        // How many parts to split B packing into: whole panels, at least 4 per part.
        public int PackParts<TKernel>(int threads)
            where TKernel : struct, IGemmMicroKernel
            => directB ? 1 : Math.Clamp((nc + TKernel.Nr - 1) / TKernel.Nr / 4, 1, threads);

        // Packs this part's share of op(B)[pc.., jc..] as Nr-wide panels; in direct mode only the ragged last
        // panel is packed (at bPack), the others are read in place.
        public void PackB<TKernel>(int part, int parts)
            where TKernel : struct, IGemmMicroKernel
        {
            int nr = TKernel.Nr;
            int panels = (nc + nr - 1) / nr;
            int first = directB ? nc / nr : panels * part / parts;
            int last = directB ? panels : panels * (part + 1) / parts;
            if (first >= last)
            {
                return;
            }

            int cols = Math.Min(nc, last * nr) - (first * nr);
            float* src = problem.BAt(pc, jc + (first * nr));
            float* dst = directB ? bPack : bPack + (first * nr * kc);
            if (problem.TransB)
            {
                GemmPacking.PackColumns(src, problem.Ldb, cols, kc, dst, nr, pad: true);
            }
            else
            {
                GemmPacking.PackRows(src, problem.Ldb, cols, kc, dst, nr, pad: true);
            }
        }

        // Packs the A block of rows ic.. into this thread's buffer and runs the jr / ir loops over it.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunBlock<TKernel>(int block)
            where TKernel : struct, IGemmMicroKernel
        {
            int mr = TKernel.Mr, nr = TKernel.Nr;
            int ic = block * mcStep;
            int mc = Math.Min(mcStep, problem.M - ic);
            float* aPack = GemmBuffers.PackA(mcStep * kc);
            float* src = problem.AAt(ic, pc);
            if (problem.TransA)
            {
                GemmPacking.PackRows(src, problem.Lda, mc, kc, aPack, mr, pad: false);
            }
            else
            {
                GemmPacking.PackColumns(src, problem.Lda, mc, kc, aPack, mr, pad: false);
            }

            float* tile = stackalloc float[mr * nr];
            float alpha = problem.Alpha, beta = Beta;
            nint ldc = problem.Ldc;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                bool inPlace = directB && cols == nr;
                float* bPanel = inPlace ? problem.BAt(pc, jc + jr) : directB ? bPack : bPack + (jr * kc);
                nint ldb = inPlace ? problem.Ldb : nr;
                float* c = problem.C + (ic * ldc) + jc + jr;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    float* aPanel = aPack + (ir * kc);
                    float* cTile = c + (ir * ldc);
                    if (cols == nr)
                    {
                        TKernel.Run(rows, kc, aPanel, bPanel, ldb, cTile, ldc, alpha, beta);
                    }
                    else
                    {
                        TKernel.Run(rows, kc, aPanel, bPanel, ldb, tile, nr, 1f, 0f);
                        MergeEdge(tile, nr, rows, cols, cTile, ldc, alpha, beta);
                    }
                }
            }
        }
    }
}
