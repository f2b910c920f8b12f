// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
using System.Runtime.CompilerServices;

namespace Recur.Kernels;

/// <summary>
/// The BLIS-style blocked GEMM on the calling thread: loops jc (Nc columns) / pc (Kc depth: pack B) / ic (Mc rows:
/// pack A) / jr (Nr) / ir (Mr) around the micro-kernel. The packed Kc x Nr B micro-panel is reused across the ir
/// loop from L1/L2, the Mc x Kc A block stays in L2, the Kc x Nc B block in L2/L3. Threads run this on disjoint
/// ranges of C (see <see cref="Gemm"/>): sharing one packed B between threads measured slower on a 2-core Zen 5,
/// because each thread's half of B then no longer stays in its own L2.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Runs <paramref name="problem"/> (K &gt; 0).</summary>
    public static void Run<TKernel>(in GemmProblem problem, GemmBlocking blocking, bool directB)
        where TKernel : struct, IGemmMicroKernel
    {
        int nr = TKernel.Nr;
        int m = problem.M;
        int n = problem.N;
        int k = problem.K;

        // Only the K split changes the arithmetic of an element; it depends on K alone, never on threads.
        int kcStep = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int ncStep = GemmBlocking.Balanced(n, blocking.Nc, nr);
        int mcStep = GemmBlocking.Balanced(m, blocking.Mc, TKernel.Mr);
        bool packed = problem.PackedNr > 0;
        directB = packed || (directB && !problem.TransB);
        float* bPack = GemmBuffers.PackB((directB ? nr : ncStep) * kcStep);
        for (int jc = 0; jc < n; jc += ncStep)
        {
            for (int pc = 0; pc < k; pc += kcStep)
            {
                var step = new PanelStep(problem, jc, Math.Min(ncStep, n - jc), pc, Math.Min(kcStep, k - pc), bPack, directB);
                step.PackB<TKernel>();
                for (int ic = 0; ic < m; ic += mcStep)
                {
                    step.RunBlock<TKernel>(ic, Math.Min(mcStep, m - ic), mcStep);
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
    private readonly struct PanelStep(GemmProblem problem, int jc, int nc, int pc, int kc, float* bPack, bool directB)
    {
        // Later K blocks add to what the first one wrote.
        private float Beta => pc == 0 ? problem.Beta : 1f;

        // Packs op(B)[pc.., jc..] as Nr-wide panels; in direct mode only the ragged last panel is packed (at
        // bPack), the others are read in place.
        public void PackB<TKernel>()
            where TKernel : struct, IGemmMicroKernel
        {
            int nr = TKernel.Nr;
            int first = directB ? nc - (nc % nr) : 0;
            if (first == nc || problem.PackedNr > 0)
            {
                return;
            }

            float* src = problem.BAt(pc, jc + first);
            if (problem.TransB)
            {
                GemmPacking.PackColumns(src, problem.Ldb, nc - first, kc, bPack, nr, pad: true);
            }
            else
            {
                GemmPacking.PackRows(src, problem.Ldb, nc - first, kc, bPack, nr, pad: true);
            }
        }

        // Packs rows ic..ic+mc of A into the thread's buffer and runs the jr / ir loops over them.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunBlock<TKernel>(int ic, int mc, int mcMax)
            where TKernel : struct, IGemmMicroKernel
        {
            int mr = TKernel.Mr, nr = TKernel.Nr;
            float* aPack = GemmBuffers.PackA(mcMax * kc);
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
                bool packed = problem.PackedNr > 0; // every panel, the ragged last one too, is ready and padded
                bool inPlace = packed || (directB && cols == nr);
                float* bPanel = inPlace ? problem.BAt(pc, jc + jr) : directB ? bPack : bPack + (jr * kc);
                nint ldb = inPlace && !packed ? problem.Ldb : nr;
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
