using System.Text.Json.Nodes;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// y = x W^T + b, with <c>weight</c> [out, in] and <c>bias</c> [out] (PyTorch's names and layout), both
/// initialized U(-1/sqrt(in), 1/sqrt(in)) as PyTorch's default.
/// </summary>
public sealed class Linear : Module, ILayer, IRebuildable
{
    /// <summary>Creates the layer; <paramref name="rng"/> defaults to <see cref="RandomGenerator.Default"/>.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomGenerator? rng = null)
    {
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Expected a positive input size but got {inFeatures}.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), $"Expected a positive output size but got {outFeatures}.");
        if ((long)inFeatures * outFeatures > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(outFeatures), $"A weight of [{outFeatures}, {inFeatures}] has more elements than an array can hold.");
        rng ??= RandomGenerator.Default;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", new Parameter(rng.Uniform(-bound, bound, outFeatures, inFeatures)));
        if (bias) Bias = RegisterParameter("bias", new Parameter(rng.Uniform(-bound, bound, outFeatures)));
    }

    /// <summary>Input feature count.</summary>
    public int InFeatures { get; }

    /// <summary>Output feature count.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in]</summary>
    public Parameter Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Py(Bias is not null)}";

    /// <inheritdoc/>
    public JsonObject GetConfig() => new() { ["in_features"] = InFeatures, ["out_features"] = OutFeatures, ["bias"] = Bias is not null };

    /// <summary>Applies the layer to x [.., in], giving [.., out].</summary>
    public Variable Forward(Variable x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.Size(-1) != InFeatures)
            throw new ArgumentException($"Linear expects input [.., {InFeatures}] but got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        var y = Ops.MatMul(x, Weight, transposeB: true);
        return Bias is null ? y : Ops.Add(y, Bias);
    }
}
