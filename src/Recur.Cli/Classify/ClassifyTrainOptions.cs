namespace Recur.Cli.Classify;

/// <summary>
/// Options of <c>recur classify train</c>: data, model and batching options of the task (null: the default for the
/// kind of data, text or series), and the shared training options.
/// </summary>
public sealed record ClassifyTrainOptions
{
    /// <summary>--train: the training file.</summary>
    public string? Train { get; init; }

    /// <summary>--dev: the validation file (else a seeded stratified split of --train).</summary>
    public string? Dev { get; init; }

    /// <summary>--dev-fraction: the share of --train held out when there is no --dev.</summary>
    public double? DevFraction { get; init; }

    /// <summary>--format: auto, label-tab-text, label-text, text-tab-label, csv, ucr or ts.</summary>
    public string? Format { get; init; }

    /// <summary>--text-column (CSV).</summary>
    public string? TextColumn { get; init; }

    /// <summary>--label-column (CSV).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>--cell: lstm, gru or rnn.</summary>
    public string? Cell { get; init; }

    /// <summary>--hidden-size</summary>
    public int? HiddenSize { get; init; }

    /// <summary>--layers</summary>
    public int? Layers { get; init; }

    /// <summary>--bidirectional true|false</summary>
    public bool? Bidirectional { get; init; }

    /// <summary>--pooling: last, mean, max or attention.</summary>
    public string? Pooling { get; init; }

    /// <summary>--attention-size</summary>
    public int? AttentionSize { get; init; }

    /// <summary>--embedding-size (text)</summary>
    public int? EmbeddingSize { get; init; }

    /// <summary>--char-embedding-size (text): character features for every word (a BiLSTM over its characters), 0 for none.</summary>
    public int? CharEmbeddingSize { get; init; }

    /// <summary>--char-hidden-size (text): hidden units per direction of the character BiLSTM.</summary>
    public int? CharHiddenSize { get; init; }

    /// <summary>--projection (series): a linear layer before the recurrent stack, 0 for none.</summary>
    public int? Projection { get; init; }

    /// <summary>--dropout: on the pooled vector and between layers.</summary>
    public double? Dropout { get; init; }

    /// <summary>--input-dropout: on the recurrent stack's inputs.</summary>
    public double? InputDropout { get; init; }

    /// <summary>--word-dropout (text): the chance that a training token is replaced by &lt;unk&gt;.</summary>
    public double? WordDropout { get; init; }

    /// <summary>--batch-size</summary>
    public int? BatchSize { get; init; }

    /// <summary>--max-length: steps kept of each example (longer ones are cut).</summary>
    public int? MaxLength { get; init; }

    /// <summary>--lowercase (text)</summary>
    public bool? Lowercase { get; init; }

    /// <summary>--split-punctuation (text)</summary>
    public bool? SplitPunctuation { get; init; }

    /// <summary>--min-count (text): words seen fewer times become &lt;unk&gt;.</summary>
    public int? MinCount { get; init; }

    /// <summary>--max-vocab (text): the most words kept, &lt;pad&gt; and &lt;unk&gt; included.</summary>
    public int? MaxVocab { get; init; }

    /// <summary>--vectors (text): pretrained word vectors (word2vec / GloVe / fastText text).</summary>
    public string? Vectors { get; init; }

    /// <summary>--freeze-vectors (text)</summary>
    public bool FreezeVectors { get; init; }

    /// <summary>--class-weights: none or balanced.</summary>
    public string? ClassWeights { get; init; }

    /// <summary>--normalize (series): standard or none.</summary>
    public string? Normalize { get; init; }

    /// <summary>The shared training options.</summary>
    public Common.CommonTrainOptions Training { get; init; } = new();
}
