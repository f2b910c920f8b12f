namespace Recur.Autograd.Functions;

/// <summary>A shape seen as [Outer, N, Inner] around one dimension.</summary>
internal readonly record struct Axis(int Outer, int N, int Inner)
{
    public static Axis Of(ReadOnlySpan<int> shape, int dim)
    {
        int d = Tensor.NormalizeDim(dim, shape.Length);
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.Length; i++) inner *= shape[i];
        return new Axis(outer, shape[d], inner);
    }
}
