// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using System.Text.Json.Nodes;
using Recur.Autograd;

namespace Recur.NN;

/// <summary>
/// The stack shared by <see cref="Rnn"/>, <see cref="Lstm"/> and <see cref="Gru"/> (PyTorch's RNNBase): L layers,
/// D = 1 or 2 directions, layer l &gt; 0 reading the D * Hout outputs of layer l - 1, dropout between layers in
/// training mode (not after the last). Parameters per layer k and direction (suffix <c>_l{k}</c>, plus
/// <c>_reverse</c> for the backward direction), in PyTorch's order: <c>weight_ih</c> [G, I or D * Hout],
/// <c>weight_hh</c> [G, Hout], <c>bias_ih</c> [G], <c>bias_hh</c> [G], <c>weight_hr</c> [P, H] (LSTM with
/// projection), all drawn U(-1/sqrt(H), 1/sqrt(H)). Hout = P with a projection, else H.
/// </summary>
public abstract class RecurrentLayer : Module, IRebuildable
{
    private readonly RecurrentSpec _spec;
    private readonly CellWeights[] _weights; // [L * D], index layer * D + direction
    private readonly RandomGenerator _rng;

    private protected RecurrentLayer(CellKind kind, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst,
        double dropout, bool bidirectional, int projSize, RandomGenerator? rng)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"Expected a positive input size but got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"Expected a positive hidden size but got {hiddenSize}.");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"Expected at least one layer but got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1)) throw new ArgumentOutOfRangeException(nameof(dropout), $"Dropout probability must be in [0, 1] but got {dropout}.");
        if (projSize < 0 || (projSize > 0 && projSize >= hiddenSize))
            throw new ArgumentOutOfRangeException(nameof(projSize), $"Expected a projection size in [0, hidden size {hiddenSize}) but got {projSize}.");
        long gates = (long)kind.GateFactor() * hiddenSize, widest = Math.Max(Math.Max(inputSize, hiddenSize), (bidirectional ? 2L : 1L) * (projSize > 0 ? projSize : hiddenSize));
        if (gates * widest > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"A {kind.GateFactor()}H x I weight with hidden size {hiddenSize} and input size {inputSize} has more elements than an array can hold.");
        _rng = rng ?? RandomGenerator.Default;
        BatchFirst = batchFirst;
        DropoutProbability = dropout;
        _spec = new RecurrentSpec(kind, inputSize, hiddenSize, projSize, numLayers, bidirectional ? 2 : 1, bias);
        _weights = new CellWeights[numLayers * _spec.Directions];
        for (int l = 0; l < numLayers; l++)
            for (int d = 0; d < _spec.Directions; d++)
                _weights[(l * _spec.Directions) + d] = CellWeights.Create(RegisterParameter, d == 0 ? $"_l{l}" : $"_l{l}_reverse",
                    kind, _spec.LayerInputSize(l), hiddenSize, projSize, bias, _rng);
    }

    /// <summary>I: features per input step.</summary>
    public int InputSize => _spec.InputSize;

    /// <summary>H: hidden units per layer and direction.</summary>
    public int HiddenSize => _spec.HiddenSize;

    /// <summary>P: the projected size of h (LSTM), or 0 for none.</summary>
    public int ProjSize => _spec.ProjSize;

    /// <summary>L: stacked layers.</summary>
    public int NumLayers => _spec.NumLayers;

    /// <summary>D: 2 when bidirectional, else 1.</summary>
    public int NumDirections => _spec.Directions;

    /// <summary>True when the backward direction runs too.</summary>
    public bool Bidirectional => _spec.Directions == 2;

    /// <summary>True when the layers have bias_ih and bias_hh.</summary>
    public bool HasBias => _spec.HasBias;

    /// <summary>True when input and output are [B, T, ..] instead of [T, B, ..] (states stay [L * D, B, ..]).</summary>
    public bool BatchFirst { get; }

    /// <summary>Dropout probability on the outputs of every layer but the last, in training mode.</summary>
    public double DropoutProbability { get; }

    /// <summary>Hout: the size of h_t (P with a projection, else H); the output has D * Hout features.</summary>
    public int StateSize => _spec.OutSize;

    /// <summary>D * Hout: features of each output step.</summary>
    public int OutputSize => _spec.Directions * _spec.OutSize;

    internal RecurrentSpec Spec => _spec;

    /// <inheritdoc/>
    public override string TypeName => _spec.Kind == CellKind.Lstm ? "LSTM" : _spec.Kind == CellKind.Gru ? "GRU" : "RNN";

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        // PyTorch's RNNBase.extra_repr: the sizes, then only the options that differ from the defaults.
        var s = new System.Text.StringBuilder($"{InputSize}, {HiddenSize}");
        if (ProjSize != 0) s.Append($", proj_size={ProjSize}");
        if (NumLayers != 1) s.Append($", num_layers={NumLayers}");
        if (!HasBias) s.Append(", bias=False");
        if (BatchFirst) s.Append(", batch_first=True");
        if (DropoutProbability != 0) s.Append($", dropout={Py(DropoutProbability)}");
        if (Bidirectional) s.Append(", bidirectional=True");
        return s.ToString();
    }

    /// <summary>PyTorch's constructor arguments (<c>torch.nn.LSTM(**config)</c> builds the same stack).</summary>
    public virtual JsonObject GetConfig()
    {
        var o = new JsonObject
        {
            ["input_size"] = InputSize,
            ["hidden_size"] = HiddenSize,
            ["num_layers"] = NumLayers,
            ["bias"] = HasBias,
            ["batch_first"] = BatchFirst,
            ["dropout"] = DropoutProbability,
            ["bidirectional"] = Bidirectional,
        };
        if (_spec.IsLstm) o["proj_size"] = ProjSize;
        return o;
    }

    /// <summary>
    /// The number of parameters of a stack with these options, computed without building it (64-bit, so absurd sizes
    /// give a number to refuse rather than an overflow).
    /// </summary>
    public static long CountParameters(int gateFactor, long inputSize, long hiddenSize, long numLayers, bool bidirectional, bool bias = true, long projSize = 0)
    {
        long d = bidirectional ? 2 : 1, g = gateFactor * hiddenSize, hOut = projSize > 0 ? projSize : hiddenSize, total = 0;
        for (long l = 0; l < Math.Min(numLayers, 2); l++)
        {
            long input = l == 0 ? inputSize : d * hOut;
            long perDirection = (g * input) + (g * hOut) + (bias ? 2 * g : 0) + (projSize > 0 ? projSize * hiddenSize : 0);
            total += (l == 0 ? 1 : numLayers - 1) * d * perDirection;
        }
        return total;
    }

    internal IReadOnlyList<CellWeights> Weights => _weights;

    /// <summary>
    /// Runs the stack over <paramref name="input"/> [T, B, I] ([B, T, I] when <see cref="BatchFirst"/>, or [T, I]
    /// unbatched) from the initial states <paramref name="h0"/> [L * D, B, Hout] and <paramref name="c0"/>
    /// [L * D, B, H] (LSTM; null = zeros; unbatched without B). With <paramref name="lengths"/> (one per sequence,
    /// 1 &lt;= length &lt;= T) the batch runs as PyTorch's packed sequence (pack_padded_sequence, enforce_sorted=False):
    /// sequence b reads steps 0 .. lengths[b] - 1 only, its output is zero past its length, h_n holds its state at its
    /// own last step, and the reverse direction starts from that step. The output keeps all T steps (as
    /// pad_packed_sequence with total_length = T). The whole stack is one node on the autograd tape.
    /// </summary>
    public RecurrentResult Forward(Variable input, Variable? h0 = null, Variable? c0 = null, int[]? lengths = null)
    {
        var (layout, unbatched, _) = CheckArguments(input, h0, c0, lengths);
        return new StackFunction().Forward(_spec, _weights, input, h0, c0, layout, BatchFirst && !unbatched, unbatched, DropoutNow, _rng);
    }

    // Dropout between layers applies in training mode only.
    private double DropoutNow => IsTraining && NumLayers > 1 ? DropoutProbability : 0;

    /// <summary>Checks the input, lengths and initial states of a forward; returns the packed layout and the shapes.</summary>
    private (SequenceLayout Layout, bool Unbatched, (int[] Output, int[] State, int[] Cell) Shapes) CheckArguments(
        Variable input, Variable? h0, Variable? c0, int[]? lengths)
    {
        string module = GetType().Name;
        var (steps, batch, unbatched) = RecurrentChecks.SequenceInput(module, input, InputSize, BatchFirst);
        var layout = RecurrentChecks.Layout(steps, batch, lengths);
        var shapes = _spec.Shapes(steps, batch, unbatched, BatchFirst);
        RecurrentChecks.State(module, nameof(h0), h0, shapes.State, unbatched ? "[L * D, Hout]" : "[L * D, B, Hout]");
        if (c0 is not null && !_spec.IsLstm) throw RecurrentChecks.NoCellState(module, nameof(c0), c0.Value);
        RecurrentChecks.State(module, nameof(c0), c0, shapes.Cell, unbatched ? "[L * D, H]" : "[L * D, B, H]");
        return (layout, unbatched, shapes);
    }

    /// <summary>
    /// Inference into the caller's tensors: the same computation and the same values as <see cref="Forward"/> (same
    /// arguments, same shapes), but nothing is recorded on the tape and nothing of the result's size is allocated:
    /// the top layer's output goes to <paramref name="output"/> ([T, B, D * Hout], [B, T, D * Hout] batch-first, or
    /// [T, D * Hout] unbatched), the final states to <paramref name="hN"/> [L * D, B, Hout] and <paramref name="cN"/>
    /// [L * D, B, H] (LSTM only) when given. Reusing the same tensors call after call avoids touching fresh memory
    /// for every batch (as ONNX Runtime's bound outputs do). The outputs must not share memory with the inputs.
    /// </summary>
    public void ForwardInto(Tensor input, Tensor output, Tensor? hN = null, Tensor? cN = null, Tensor? h0 = null, Tensor? c0 = null,
        int[]? lengths = null)
    {
        string module = GetType().Name;
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (layout, unbatched, shapes) = CheckArguments(new Variable(input), h0 is null ? null : new Variable(h0), c0 is null ? null : new Variable(c0), lengths);
        RecurrentChecks.Destination(module, nameof(output), output, shapes.Output, [input, h0, c0]);
        RecurrentChecks.Destination(module, nameof(hN), hN, shapes.State, [input, h0, c0, output]);
        if (cN is not null && !_spec.IsLstm) throw RecurrentChecks.NoCellState(module, nameof(cN), cN);
        RecurrentChecks.Destination(module, nameof(cN), cN, shapes.Cell, [input, h0, c0, output, hN]);
        var hNSpan = hN is null ? new float[Tensor.ElementCount(shapes.State)] : hN.Span;
        var cNSpan = !_spec.IsLstm ? default : cN is null ? new float[Tensor.ElementCount(shapes.Cell)] : cN.Span;
        new StackFunction().Infer(_spec, _weights, input, h0, c0, layout, BatchFirst && !unbatched, DropoutNow, _rng, output, hNSpan, cNSpan);
    }

    /// <summary>
    /// A streaming runner for <paramref name="batchSize"/> independent streams: one time step per call over
    /// preallocated state (see <see cref="RecurrentStream"/>). Forward direction only; it reads the current weights.
    /// </summary>
    public RecurrentStream CreateStream(int batchSize)
    {
        if (batchSize <= 0 || (long)batchSize * Math.Max(_spec.GateSize, _spec.InputSize + _spec.OutSize) > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"Expected a number of streams from 1 to what memory can hold, got {batchSize}.");
        if (Bidirectional)
            throw new NotSupportedException($"{GetType().Name} is bidirectional: its backward direction needs the whole sequence, so it cannot stream step by step.");
        return new RecurrentStream(_spec, _weights, batchSize);
    }
}
