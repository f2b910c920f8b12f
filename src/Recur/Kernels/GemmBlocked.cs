// M rows of op(A) and C, N columns of op(B) and C, K inner dimension
namespace Recur.Kernels;

/// <summary>
/// The BLIS-style blocked GEMM for one thread: loops jc (Nc columns) / pc (Kc depth: pack B) / ic (Mc rows:
/// pack A) / jr (Nr) / ir (Mr) around the micro-kernel. The packed Kc x Nr B panel stays in L1 across the ir
/// loop, the Mc x Kc A block in L2, the Kc x Nc B block in L3.
/// </summary>
internal static unsafe class GemmBlocked
{
    /// <summary>Runs <paramref name="problem"/> (K &gt; 0) on the calling thread.</summary>
    public static void Run<TKernel>(in GemmProblem problem, GemmBlocking blocking, bool directB)
        where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int m = problem.M;
        int n = problem.N;
        int k = problem.K;

        // Only the K split changes the arithmetic of an element; it depends on K alone, never on threads.
        int kcStep = GemmBlocking.Balanced(k, blocking.Kc, 1);
        int mcStep = GemmBlocking.Balanced(m, blocking.Mc, mr);
        int ncStep = GemmBlocking.Balanced(n, blocking.Nc, nr);
        directB &= !problem.TransB;

        float* aPack = GemmBuffers.PackA(mcStep * kcStep);
        float* bPack = GemmBuffers.PackB((directB ? nr : ncStep) * kcStep);
        float* tile = stackalloc float[mr * nr];

        for (int jc = 0; jc < n; jc += ncStep)
        {
            int nc = Math.Min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                float beta = pc == 0 ? problem.Beta : 1f;
                PackB<TKernel>(problem, pc, kc, jc, nc, bPack, directB);

                for (int ic = 0; ic < m; ic += mcStep)
                {
                    int mc = Math.Min(mcStep, m - ic);
                    PackA<TKernel>(problem, ic, mc, pc, kc, aPack);

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* bPanel;
                        nint ldb;
                        if (directB && cols == nr)
                        {
                            bPanel = problem.BAt(pc, jc + jr);
                            ldb = problem.Ldb;
                        }
                        else
                        {
                            bPanel = directB ? bPack : bPack + (jr * kc);
                            ldb = nr;
                        }

                        float* c = problem.C + (ic * problem.Ldc) + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* aPanel = aPack + (ir * kc);
                            float* cTile = c + (ir * problem.Ldc);
                            if (cols == nr)
                            {
                                TKernel.Run(rows, kc, aPanel, bPanel, ldb, cTile, problem.Ldc, problem.Alpha, beta);
                            }
                            else
                            {
                                TKernel.Run(rows, kc, aPanel, bPanel, ldb, tile, nr, 1f, 0f);
                                MergeEdge(tile, nr, rows, cols, cTile, problem.Ldc, problem.Alpha, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    // Packs op(B)[pc.., jc..] as Nr-wide panels; in direct mode only the ragged last panel is packed (at bPack).
    private static void PackB<TKernel>(in GemmProblem problem, int pc, int kc, int jc, int nc, float* bPack, bool directB)
        where TKernel : struct, IGemmMicroKernel
    {
        int nr = TKernel.Nr;
        int first = directB ? nc - (nc % nr) : 0;
        if (first == nc)
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

    // Packs op(A)[ic.., pc..] as Mr-tall panels; ragged rows are left unpadded since kernels never read them.
    private static void PackA<TKernel>(in GemmProblem problem, int ic, int mc, int pc, int kc, float* aPack)
        where TKernel : struct, IGemmMicroKernel
    {
        float* src = problem.AAt(ic, pc);
        if (problem.TransA)
        {
            GemmPacking.PackRows(src, problem.Lda, mc, kc, aPack, TKernel.Mr, pad: false);
        }
        else
        {
            GemmPacking.PackColumns(src, problem.Lda, mc, kc, aPack, TKernel.Mr, pad: false);
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
}
