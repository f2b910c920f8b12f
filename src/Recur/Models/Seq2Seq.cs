// S source steps, T target steps, B batch, E embedding, H hidden, D encoder directions, L layers, V target vocabulary
using Recur.Autograd;
using Recur.NN;

namespace Recur.Models;

/// <summary>
/// The decoder's carried state between steps: each layer's hidden (and LSTM cell) state [B, H], the previous
/// attentional state for Luong's input feeding, and the encoded source it attends to.
/// </summary>
public sealed class DecoderState
{
    internal DecoderState(Variable[] hidden, Variable[]? cell, Variable? feed, AttentionMemory? memory)
    {
        Hidden = hidden;
        Cell = cell;
        Feed = feed;
        Memory = memory;
    }

    /// <summary>[L] of [B, H].</summary>
    public Variable[] Hidden { get; }

    /// <summary>[L] of [B, H] (LSTM), else null.</summary>
    public Variable[]? Cell { get; }

    /// <summary>[B, H]: the last attentional state (input feeding), else null.</summary>
    public Variable? Feed { get; }

    /// <summary>The encoded source (attention), else null.</summary>
    public AttentionMemory? Memory { get; }

    /// <summary>B.</summary>
    public int Batch => Hidden[0].Size(0);

    /// <summary>Each row repeated <paramref name="times"/> times in a row (a beam per sentence), memory included; no gradient.</summary>
    internal DecoderState Repeat(int times)
    {
        int[] rows = Enumerable.Range(0, Batch * times).Select(r => r / times).ToArray();
        return new DecoderState(Gather(Hidden, rows), Cell is null ? null : Gather(Cell, rows), Feed is null ? null : Rows(Feed, rows), Memory?.Select(rows));
    }

    /// <summary>The state of rows <paramref name="rows"/> (a beam's parents), the memory left as it is; no gradient.</summary>
    internal DecoderState Select(int[] rows) =>
        new(Gather(Hidden, rows), Cell is null ? null : Gather(Cell, rows), Feed is null ? null : Rows(Feed, rows), Memory);

    private static Variable[] Gather(Variable[] states, int[] rows) => states.Select(s => Rows(s, rows)).ToArray();

    // Rows of a [B, ...] value, as a new constant.
    internal static Variable Rows(Variable v, int[] rows) => new(v.Value.GatherRows(rows));
}

/// <summary>
/// An encoder-decoder (Sutskever et al. 2014, Cho et al. 2014) with optional attention (Bahdanau et al. 2015; Luong
/// et al. 2015): source embedding -> stacked, optionally bidirectional LSTM / GRU over the packed lengths -> a bridge
/// (tanh of a linear map of each layer's final states, or zeros) to the decoder's initial state -> a decoder of
/// stacked cells, one target step at a time. Bahdanau attention queries with the previous top state and feeds the
/// context into the cell; Luong attention (dot, general, concat) queries with the new top state and forms the
/// attentional state tanh(W_c [context; h]), fed back as input when <see cref="Seq2SeqConfig.InputFeeding"/>. The
/// output projection may share the target embedding's weight. <see cref="Step"/> advances the carried state by one
/// token, so decoding never re-runs a prefix.
/// </summary>
public sealed class Seq2Seq : Module, IRebuildable
{
    private readonly Dropout _dropout;
    private readonly RecurrentCell[] _cells;

    /// <summary>Builds the model with weights drawn from <paramref name="rng"/> (also its dropout's generator).</summary>
    public Seq2Seq(Seq2SeqConfig config, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        config.Validate();
        Config = config;
        int e = config.EmbeddingSize, h = config.HiddenSize, l = config.Layers, mem = config.MemorySize;
        SourceEmbedding = RegisterModule("src_embedding", new Embedding(config.SourceVocabSize, e, paddingIndex: 0, rng: rng));
        double between = l > 1 ? config.Dropout : 0;
        Encoder = RegisterModule<RecurrentLayer>("encoder", config.Cell == "lstm"
            ? new Lstm(e, h, l, dropout: between, bidirectional: config.Bidirectional, rng: rng)
            : new Gru(e, h, l, dropout: between, bidirectional: config.Bidirectional, rng: rng));
        if (config.Bridge == "linear")
        {
            BridgeH = RegisterModule("bridge", new Linear(mem, h, rng: rng));
            if (config.Cell == "lstm") BridgeC = RegisterModule("bridge_c", new Linear(mem, h, rng: rng));
        }
        TargetEmbedding = RegisterModule("tgt_embedding", new Embedding(config.TargetVocabSize, e, paddingIndex: 0, rng: rng));
        int input0 = e + (config.Attention == "bahdanau" ? mem : UsesFeeding ? h : 0);
        var cells = new ModuleList();
        _cells = new RecurrentCell[l];
        for (int i = 0; i < l; i++)
        {
            int input = i == 0 ? input0 : h;
            _cells[i] = config.Cell == "lstm" ? new LstmCell(input, h, rng: rng) : new GruCell(input, h, rng: rng);
            cells.Add(_cells[i]);
        }
        Decoder = RegisterModule("decoder", cells);
        if (config.Attends)
        {
            var score = Enum.Parse<AttentionScore>(config.Attention, ignoreCase: true);
            Attention = RegisterModule("attention", new Attention(score, h, mem, h, rng));
            Combine = RegisterModule("attn_out", new Linear(mem + h, h, bias: false, rng: rng));
        }
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        if (config.TieWeights)
        {
            float bound = 1f / MathF.Sqrt(h);
            OutputBias = RegisterParameter("out_bias", new Parameter(rng.Uniform(-bound, bound, config.TargetVocabSize)));
        }
        else Output = RegisterModule("out", new Linear(h, config.TargetVocabSize, rng: rng));
    }

    /// <summary>The configuration.</summary>
    public Seq2SeqConfig Config { get; }

    /// <summary>Source embedding [Vs, E].</summary>
    public Embedding SourceEmbedding { get; }

    /// <summary>The encoder.</summary>
    public RecurrentLayer Encoder { get; }

    /// <summary>The bridge to the decoder's hidden state (linear bridge).</summary>
    public Linear? BridgeH { get; }

    /// <summary>The bridge to the decoder's LSTM cell state (linear bridge, LSTM).</summary>
    public Linear? BridgeC { get; }

    /// <summary>Target embedding [V, E].</summary>
    public Embedding TargetEmbedding { get; }

    /// <summary>The decoder's cells, one per layer.</summary>
    public ModuleList Decoder { get; }

    /// <summary>The attention (none without).</summary>
    public Attention? Attention { get; }

    /// <summary>W_c of the attentional state tanh(W_c [context; h]) (with attention).</summary>
    public Linear? Combine { get; }

    /// <summary>The output projection (untied).</summary>
    public Linear? Output { get; }

    /// <summary>The output bias (tied: the weight is the target embedding's).</summary>
    public Parameter? OutputBias { get; }

    /// <inheritdoc/>
    public override string TypeName => "Seq2Seq";

    /// <inheritdoc/>
    public System.Text.Json.Nodes.JsonObject GetConfig() => Config.ToJson();

    private bool UsesFeeding => Config.InputFeeding && Config.Attends && Config.Attention != "bahdanau";

    /// <summary>
    /// Encodes source ids [S, B] (time first, 0 past each length) and gives the decoder's initial state: the bridge
    /// from each encoder layer's final states, the attention memory over the encoder's outputs.
    /// </summary>
    public DecoderState Encode(int[] sourceIds, int steps, int batch, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        ArgumentNullException.ThrowIfNull(lengths);
        var x = _dropout.Forward(SourceEmbedding.Forward(sourceIds, steps, batch)); // [S, B, E]
        var r = Encoder.Forward(x, lengths: lengths);                               // output [S, B, D H], h_n [L D, B, H]
        int l = Config.Layers, d = Config.Directions, h = Config.HiddenSize;
        var hidden = new Variable[l];
        var cell = Config.Cell == "lstm" ? new Variable[l] : null;
        for (int i = 0; i < l; i++)
        {
            hidden[i] = Bridge(BridgeH, r.HN, i, d, batch, h);
            if (cell is not null) cell[i] = Bridge(BridgeC, r.CN!, i, d, batch, h);
        }
        Variable? feed = UsesFeeding ? new Variable(new Tensor(batch, h)) : null;
        var memory = Attention?.Prepare(r.Output, lengths);
        return new DecoderState(hidden, cell, feed, memory);
    }

    // tanh(W [h_fwd; h_bwd] + b) of encoder layer i's final states, or zeros.
    private static Variable Bridge(Linear? bridge, Variable finals, int layer, int d, int batch, int h)
    {
        if (bridge is null) return new Variable(new Tensor(batch, h));
        var states = Ops.Slice(finals, 0, layer * d, d);                          // [D, B, H]
        var joined = Ops.Reshape(Ops.Transpose(states, 0, 1), batch, d * h);     // [B, D H]
        return Ops.Tanh(bridge.Forward(joined));
    }

    /// <summary>
    /// One decoder step: the previous tokens [B] (the start id first) and the carried state give the logits [B, V],
    /// the next state and the attention weights [B, S] (null without attention).
    /// </summary>
    public (Variable Logits, DecoderState State, Variable? Weights) Step(int[] previous, DecoderState state)
    {
        var (output, next, weights) = Advance(previous, state);
        return (Logits(_dropout.Forward(output)), next, weights);
    }

    // A step up to the output projection: the attentional (or top) state [B, H] before dropout.
    private (Variable Output, DecoderState State, Variable? Weights) Advance(int[] previous, DecoderState state)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(state);
        int batch = state.Batch, layers = Config.Layers;
        var x = _dropout.Forward(TargetEmbedding.Forward(previous, batch)); // [B, E]
        Variable? context = null, weights = null;
        if (Attention?.Score == AttentionScore.Bahdanau)
        {
            (context, weights) = Attention!.Forward(state.Hidden[layers - 1], state.Memory!);
            x = Ops.Concat([x, context], dim: 1);
        }
        else if (UsesFeeding) x = Ops.Concat([x, state.Feed!], dim: 1);
        var hidden = new Variable[layers];
        var cell = state.Cell is null ? null : new Variable[layers];
        for (int i = 0; i < layers; i++)
        {
            if (_cells[i] is LstmCell lstm) (hidden[i], cell![i]) = lstm.Forward(x, state.Hidden[i], state.Cell![i]);
            else hidden[i] = ((GruCell)_cells[i]).Forward(x, state.Hidden[i]);
            x = i + 1 < layers ? _dropout.Forward(hidden[i]) : hidden[i];
        }
        var output = hidden[layers - 1];
        if (Attention is not null)
        {
            if (context is null) (context, weights) = Attention.Forward(output, state.Memory!);
            output = Ops.Tanh(Combine!.Forward(Ops.Concat([context, output], dim: 1))); // [B, H], fed back with input feeding
        }
        return (output, new DecoderState(hidden, cell, UsesFeeding ? output : null, state.Memory), weights);
    }

    private Variable Logits(Variable x) => OutputBias is null ? Output!.Forward(x)
        : Ops.Add(Ops.MatMul(x, TargetEmbedding.Weight, transposeB: true), OutputBias);

    /// <summary>
    /// The logits [T * B, V] of teacher-forced decoding: <paramref name="targetInput"/> [T, B] holds the start id then
    /// the target words (0 past each length), step t reading token t; with <paramref name="teacherForcing"/> below 1
    /// (scheduled sampling), each sentence's next input is its own previous prediction with probability 1 - ratio,
    /// drawn from <paramref name="rng"/>.
    /// </summary>
    public Variable TeacherForced(DecoderState state, int[] targetInput, int steps, double teacherForcing = 1, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(targetInput);
        int batch = state.Batch;
        if (targetInput.Length != steps * batch) throw new ArgumentException($"the target input holds {targetInput.Length} ids, not T x B = {steps} x {batch}.", nameof(targetInput));
        if (teacherForcing < 1) ArgumentNullException.ThrowIfNull(rng);
        else
        {
            // Every input is known: the steps run up to the output projection, which then runs once over all of
            // them ([T * B, H] x [H, V], one large GEMM instead of T small ones).
            var outputs = new Variable[steps];
            for (int t = 0; t < steps; t++)
            {
                (outputs[t], state, _) = Advance(targetInput[(t * batch)..((t + 1) * batch)], state);
            }
            return Logits(_dropout.Forward(Ops.Concat(outputs, dim: 0)));
        }
        var all = new Variable[steps];
        var previous = targetInput[..batch];
        for (int t = 0; t < steps; t++)
        {
            var (logits, next, _) = Step(previous, state);
            all[t] = logits;
            state = next;
            if (t + 1 == steps) break;
            var gold = targetInput.AsSpan((t + 1) * batch, batch);
            previous = gold.ToArray();
            if (teacherForcing < 1)
            {
                var predicted = Predict(logits.Value);
                for (int b = 0; b < batch; b++)
                    if (gold[b] != 0 && rng!.NextDouble() >= teacherForcing) previous[b] = predicted[b];
            }
        }
        return Ops.Concat(all, dim: 0); // [T * B, V], step-major as the targets
    }

    /// <summary>
    /// Greedy decoding of a source batch: at most <paramref name="maxLength"/> steps per sentence, stopping at the end
    /// id; gives each sentence's target ids (the end id left out) in batch order.
    /// </summary>
    public int[][] Greedy(int[] sourceIds, int steps, int batch, int[] lengths, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return Greedy(sourceIds, steps, batch, lengths, Enumerable.Repeat(maxLength, batch).ToArray());
    }

    /// <summary>Greedy decoding with a maximum length per sentence (padding and the start token never chosen).</summary>
    public int[][] Greedy(int[] sourceIds, int steps, int batch, int[] lengths, int[] maxLengths)
    {
        ArgumentNullException.ThrowIfNull(maxLengths);
        if (maxLengths.Length != batch || maxLengths.Any(m => m < 1)) throw new ArgumentException("give every sentence a maximum length of 1 or more.", nameof(maxLengths));
        bool wasTraining = IsTraining;
        SetTraining(false);
        try
        {
            using var _ = GradMode.NoGrad();
            var state = Encode(sourceIds, steps, batch, lengths);
            var outputs = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
            var done = new bool[batch];
            var previous = Enumerable.Repeat(Config.BosId, batch).ToArray();
            for (int t = 0; done.Contains(false); t++)
            {
                var (logits, next, _) = Step(previous, state);
                state = next;
                previous = Predict(logits.Value);
                for (int b = 0; b < batch; b++)
                {
                    if (done[b]) continue;
                    if (previous[b] == Config.EosId) done[b] = true;
                    else outputs[b].Add(previous[b]);
                    if (t + 1 >= maxLengths[b]) done[b] = true;
                }
            }
            return outputs.Select(o => o.ToArray()).ToArray();
        }
        finally
        {
            SetTraining(wasTraining);
        }
    }

    // The most likely token of each row of the logits [B, V] (the first on ties), never padding (0) or the start token.
    private int[] Predict(Tensor logits)
    {
        int rows = logits.Shape[0], v = logits.Shape[1];
        var s = logits.Span;
        var result = new int[rows];
        for (int b = 0; b < rows; b++)
        {
            var row = s.Slice(b * v, v);
            int best = -1;
            for (int j = 1; j < v; j++)
                if (j != Config.BosId && (best < 0 || row[j] > row[best])) best = j;
            result[b] = best;
        }
        return result;
    }
}
