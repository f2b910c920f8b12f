// B batch, S source steps, Hq query features, Hk key (memory) features, A attention size
using Recur.Autograd;

namespace Recur.NN;

/// <summary>How an attention scores a query against each memory step.</summary>
public enum AttentionScore
{
    /// <summary>Bahdanau et al. 2015, additive: <c>v^T tanh(W_q q + W_k k)</c>, with <c>query.weight</c> [A, Hq], <c>key.weight</c> [A, Hk], <c>key.bias</c> [A], <c>v.weight</c> [1, A].</summary>
    Bahdanau,

    /// <summary>Luong et al. 2015, dot: <c>q^T k</c> (Hq = Hk), no parameters.</summary>
    Dot,

    /// <summary>Luong et al. 2015, general: <c>q^T W_a k</c>, with <c>linear_in.weight</c> [Hq, Hk] (W_a).</summary>
    General,

    /// <summary>Luong et al. 2015, concat: <c>v_a^T tanh(W_a [q; k])</c>, with <c>linear_in.weight</c> [A, Hq + Hk] (W_a) and <c>v.weight</c> [1, A].</summary>
    Concat,
}

/// <summary>
/// The source side of an attention, prepared once per batch of sentences by <see cref="Attention.Prepare"/>: the
/// values [B, S, Hk], the keys already projected for the score (so a decoder step projects only its query), and the
/// mask of padded steps.
/// </summary>
public sealed class AttentionMemory
{
    internal AttentionMemory(Variable values, Variable? keys, Tensor mask, int[] lengths, Variable? queryWeight = null)
    {
        Values = values;
        Keys = keys;
        Mask = mask;
        Lengths = lengths;
        QueryWeight = queryWeight;
    }

    // Concat: W_a's query block [A, Hq], sliced once per memory rather than at every step.
    internal Variable? QueryWeight { get; }

    /// <summary>[B, S, Hk]: the memory steps, batch first, that the weights average.</summary>
    public Variable Values { get; }

    /// <summary>[B, S, *]: the keys as the score needs them (W_k k + b, W_a k, W_a's key block times k), or null for dot.</summary>
    public Variable? Keys { get; }

    /// <summary>[B, S]: 0 on valid steps, minus infinity past each length.</summary>
    public Tensor Mask { get; }

    /// <summary>Each sequence's valid steps.</summary>
    public int[] Lengths { get; }

    /// <summary>B.</summary>
    public int Batch => Values.Size(0);

    /// <summary>S.</summary>
    public int Steps => Values.Size(1);

    /// <summary>The memory of rows <paramref name="rows"/> (a beam per sentence: each row repeated), as constants.</summary>
    internal AttentionMemory Select(int[] rows) => new(
        new Variable(Values.Value.GatherRows(rows)), Keys is null ? null : new Variable(Keys.Value.GatherRows(rows)),
        Mask.GatherRows(rows), rows.Select(r => Lengths[r]).ToArray(), QueryWeight is null ? null : new Variable(QueryWeight.Value));
}

/// <summary>
/// Global attention over a memory of source steps (an encoder's outputs), as Bahdanau et al. and Luong et al. define
/// it: scores of a query against every valid step, a softmax over them (padded steps get exactly zero weight), and
/// the weighted average of the steps as the context. <see cref="Prepare"/> projects the keys once per batch;
/// <see cref="Forward"/> runs once per decoder step. Parameter names follow the modules' roles (see
/// <see cref="AttentionScore"/>).
/// </summary>
public sealed class Attention : Module
{
    /// <summary>Creates an attention of <paramref name="score"/> for queries of <paramref name="querySize"/> and memory steps of <paramref name="keySize"/> features.</summary>
    /// <param name="score">The score function.</param>
    /// <param name="querySize">Hq.</param>
    /// <param name="keySize">Hk.</param>
    /// <param name="attentionSize">A, for Bahdanau and concat (default Hq).</param>
    /// <param name="rng">Draws the initial weights (PyTorch's Linear initialization).</param>
    public Attention(AttentionScore score, int querySize, int keySize, int? attentionSize = null, RandomGenerator? rng = null)
    {
        if (querySize <= 0) throw new ArgumentOutOfRangeException(nameof(querySize), $"Expected a positive query size but got {querySize}.");
        if (keySize <= 0) throw new ArgumentOutOfRangeException(nameof(keySize), $"Expected a positive key size but got {keySize}.");
        int a = attentionSize ?? querySize;
        if (a <= 0) throw new ArgumentOutOfRangeException(nameof(attentionSize), $"Expected a positive attention size but got {a}.");
        if (score == AttentionScore.Dot && querySize != keySize)
            throw new ArgumentException($"Dot attention needs queries and keys of one size, got {querySize} and {keySize}; use general or concat.");
        Score = score;
        QuerySize = querySize;
        KeySize = keySize;
        AttentionSize = score is AttentionScore.Bahdanau or AttentionScore.Concat ? a : 0;
        switch (score)
        {
            case AttentionScore.Bahdanau:
                QueryLayer = RegisterModule("query", new Linear(querySize, a, bias: false, rng: rng));
                KeyLayer = RegisterModule("key", new Linear(keySize, a, rng: rng));
                V = RegisterModule("v", new Linear(a, 1, bias: false, rng: rng));
                break;
            case AttentionScore.General:
                LinearIn = RegisterModule("linear_in", new Linear(keySize, querySize, bias: false, rng: rng));
                break;
            case AttentionScore.Concat:
                LinearIn = RegisterModule("linear_in", new Linear(querySize + keySize, a, bias: false, rng: rng));
                V = RegisterModule("v", new Linear(a, 1, bias: false, rng: rng));
                break;
        }
    }

    /// <summary>The score function.</summary>
    public AttentionScore Score { get; }

    /// <summary>Hq.</summary>
    public int QuerySize { get; }

    /// <summary>Hk.</summary>
    public int KeySize { get; }

    /// <summary>A (Bahdanau, concat), else 0.</summary>
    public int AttentionSize { get; }

    /// <summary>W_q (Bahdanau).</summary>
    public Linear? QueryLayer { get; }

    /// <summary>W_k and its bias (Bahdanau).</summary>
    public Linear? KeyLayer { get; }

    /// <summary>W_a (general: [Hq, Hk]; concat: [A, Hq + Hk]).</summary>
    public Linear? LinearIn { get; }

    /// <summary>v (Bahdanau, concat).</summary>
    public Linear? V { get; }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"score={Score.ToString().ToLowerInvariant()}, query_size={QuerySize}, key_size={KeySize}" +
        (AttentionSize > 0 ? $", attention_size={AttentionSize}" : "");

    /// <summary>
    /// Prepares <paramref name="memory"/> [S, B, Hk] (time first, as a recurrent layer's output; zero or anything past
    /// each length) with each sequence's <paramref name="lengths"/> (1..S): the values batch first, the keys
    /// projected once, the padding mask.
    /// </summary>
    public AttentionMemory Prepare(Variable memory, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(lengths);
        if (memory.Rank != 3 || memory.Size(2) != KeySize)
            throw new ArgumentException($"Attention expects a memory [S, B, {KeySize}] but got {Tensor.FormatShape(memory.Shape)}.", nameof(memory));
        int steps = memory.Size(0), batch = memory.Size(1);
        if (lengths.Length != batch) throw new ArgumentException($"Attention got {lengths.Length} lengths for a batch of {batch}.", nameof(lengths));
        var mask = LengthMask.Build(lengths, steps, timeFirst: false);
        var values = Ops.Transpose(memory, 0, 1); // [B, S, Hk]
        Variable? keys = Score switch
        {
            AttentionScore.Bahdanau => KeyLayer!.Forward(values),                                                   // [B, S, A]
            AttentionScore.General => LinearIn!.Forward(values),                                                    // [B, S, Hq]
            AttentionScore.Concat => Ops.MatMul(values, Ops.Slice(LinearIn!.Weight, 1, QuerySize, KeySize), transposeB: true), // [B, S, A]
            _ => null,
        };
        var queryWeight = Score == AttentionScore.Concat ? Ops.Slice(LinearIn!.Weight, 1, 0, QuerySize) : null;
        return new AttentionMemory(values, keys, mask, (int[])lengths.Clone(), queryWeight);
    }

    /// <summary>
    /// Attends with <paramref name="query"/> [B, Hq] over <paramref name="memory"/>: the context [B, Hk] and the
    /// weights [B, S] (each row sums to 1 over its valid steps and is exactly 0 past its length).
    /// </summary>
    public (Variable Context, Variable Weights) Forward(Variable query, AttentionMemory memory)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(memory);
        int batch = memory.Batch, steps = memory.Steps;
        if (query.Rank != 2 || query.Size(0) != batch || query.Size(1) != QuerySize)
            throw new ArgumentException($"Attention expects a query [{batch}, {QuerySize}] but got {Tensor.FormatShape(query.Shape)}.", nameof(query));
        var scores = Scores(query, memory);                                        // [B, S]
        var weights = Ops.Softmax(Ops.Add(scores, new Variable(memory.Mask)), -1); // [B, S]
        var context = Ops.Reshape(Ops.BatchedMatMul(Ops.Reshape(weights, batch, 1, steps), memory.Values), batch, KeySize); // [B, Hk]
        return (context, weights);
    }

    private Variable Scores(Variable query, AttentionMemory memory)
    {
        int batch = memory.Batch, steps = memory.Steps;
        switch (Score)
        {
            case AttentionScore.Dot:
                return Ops.Reshape(Ops.BatchedMatMul(memory.Values, Ops.Reshape(query, batch, QuerySize, 1)), batch, steps);
            case AttentionScore.General:
                return Ops.Reshape(Ops.BatchedMatMul(memory.Keys!, Ops.Reshape(query, batch, QuerySize, 1)), batch, steps);
            default:
            {
                var q = Score == AttentionScore.Bahdanau
                    ? QueryLayer!.Forward(query)                                                    // [B, A]
                    : Ops.MatMul(query, memory.QueryWeight!, transposeB: true);
                var hidden = Ops.Tanh(Ops.Add(memory.Keys!, Ops.Reshape(q, batch, 1, AttentionSize))); // [B, S, A]
                return Ops.Reshape(V!.Forward(hidden), batch, steps);                                   // [B, S]
            }
        }
    }
}
