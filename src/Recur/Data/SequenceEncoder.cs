// T time, F features
using System.Globalization;

namespace Recur.Data;

/// <summary>
/// Turns examples into what a sequence classifier reads, the same way at training, evaluation and prediction: texts
/// through a <see cref="WordTokenizer"/> and a <see cref="WordVocabulary"/> (unknown words become <c>&lt;unk&gt;</c>,
/// never an error; an empty text becomes one <c>&lt;unk&gt;</c>), series through a <see cref="FeatureScaler"/>
/// fitted on the training data; labels through the training data's <see cref="LabelSet"/>.
/// </summary>
public sealed class SequenceEncoder
{
    private SequenceEncoder(LabelSet labels, WordTokenizer? tokenizer, WordVocabulary? vocabulary, FeatureScaler? scaler, int features, CharacterTable? characters = null)
    {
        Characters = characters;
        Labels = labels;
        Tokenizer = tokenizer;
        Vocabulary = vocabulary;
        Scaler = scaler;
        Features = features;
    }

    /// <summary>The classes.</summary>
    public LabelSet Labels { get; }

    /// <summary>The tokenizer (text).</summary>
    public WordTokenizer? Tokenizer { get; }

    /// <summary>The vocabulary (text).</summary>
    public WordVocabulary? Vocabulary { get; }

    /// <summary>The character table (text with character features), or null.</summary>
    public CharacterTable? Characters { get; }

    /// <summary>The scaler (series; null when the values are used as they are).</summary>
    public FeatureScaler? Scaler { get; }

    /// <summary>F (series).</summary>
    public int Features { get; }

    /// <summary>True for text.</summary>
    public bool ReadsText => Vocabulary is not null;

    /// <summary>An encoder of texts.</summary>
    public static SequenceEncoder ForText(LabelSet labels, WordTokenizer tokenizer, WordVocabulary vocabulary, CharacterTable? characters = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new SequenceEncoder(labels, tokenizer, vocabulary, null, 0, characters);
    }

    /// <summary>The words of <paramref name="text"/> as the model reads them (at least one: an empty text is one <c>&lt;unk&gt;</c>).</summary>
    public string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Tokenizer is null) throw new InvalidOperationException("This encoder reads series, not texts.");
        var words = Tokenizer.Tokenize(text);
        return words.Length > 0 ? words : [WordVocabulary.UnknownToken];
    }

    /// <summary>Texts with labels, spelled out too when the encoder has character features.</summary>
    public EncodedSequences EncodeTexts(IReadOnlyList<string> texts, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var words = texts.Select(Words).ToArray();
        var ids = words.Select(w => Vocabulary!.Encode(w)).ToArray();
        return Characters is null ? new EncodedSequences(ids, labels) : new EncodedSequences(ids, labels, words, Characters);
    }

    /// <summary>An encoder of series of <paramref name="features"/> features, scaled by <paramref name="scaler"/> when given.</summary>
    public static SequenceEncoder ForSeries(LabelSet labels, int features, FeatureScaler? scaler)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (scaler is not null && scaler.Features != features) throw new ArgumentException($"The scaler has {scaler.Features} features, the series {features}.", nameof(scaler));
        return new SequenceEncoder(labels, null, null, scaler, features);
    }

    /// <summary>The token ids of <paramref name="text"/> (at least one).</summary>
    public int[] EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Vocabulary is null) throw new InvalidOperationException("This encoder reads series, not texts.");
        var ids = Vocabulary.Encode(Tokenizer!.Tokenize(text));
        return ids.Length > 0 ? ids : [WordVocabulary.UnknownId];
    }

    /// <summary>The scaled values of a series [T, F].</summary>
    public float[] EncodeSeries(ReadOnlySpan<float> values)
    {
        if (Vocabulary is not null) throw new InvalidOperationException("This encoder reads texts, not series.");
        if (values.IsEmpty || values.Length % Features != 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"a series of {values.Length} values is not a whole number of steps of {Features} features."));
        return Scaler?.Transform(values) ?? values.ToArray();
    }

    /// <summary>Every example of <paramref name="data"/> with its class index.</summary>
    /// <exception cref="InvalidDataException">The data is of the other kind, has another number of features, or holds a label the classes lack (the message names file and line).</exception>
    public EncodedSequences Encode(ClassificationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckKind(data);
        return EncodeExamples(data, data.LabelIds(Labels));
    }

    /// <summary>Every example of <paramref name="data"/>, ignoring its labels (they are all 0), for prediction.</summary>
    public EncodedSequences EncodeInputs(ClassificationData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return EncodeExamples(data, new int[data.Count]);
    }

    private void CheckKind(ClassificationData data)
    {
        if (ReadsText != (data.Kind == ClassificationKind.Text))
            throw new InvalidDataException($"'{data.SourcePath}' holds {(data.Kind == ClassificationKind.Text ? "texts" : "series")}, but the model reads {(ReadsText ? "texts" : "series")}.");
    }

    private EncodedSequences EncodeExamples(ClassificationData data, int[] labels)
    {
        CheckKind(data);
        if (ReadsText) return EncodeTexts(data.Examples.Select(e => e.Text!).ToArray(), labels);
        if (data.Features != Features)
            throw new InvalidDataException($"'{data.SourcePath}' has series of {data.Features} features, but the model reads {Features}.");
        return new EncodedSequences(data.Examples.Select(e => EncodeSeries(e.Values!)).ToArray(), data.SeriesLengths(), Features, labels);
    }
}
