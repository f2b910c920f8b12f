using System.Text;

namespace Recur.Data;

/// <summary>
/// A UTF-8 text file as character ids over its own <see cref="CharVocabulary"/>, split into a training part (the
/// first 90%) and a validation part (the last 10%).
/// </summary>
public sealed class TextCorpus
{
    /// <summary>The fraction of the text used for training; the rest, at the end, is the validation split.</summary>
    public const double TrainFraction = 0.9;

    private TextCorpus(string text, CharVocabulary vocabulary, int[] ids)
    {
        Text = text;
        Vocabulary = vocabulary;
        Ids = ids;
        TrainLength = (int)(ids.Length * TrainFraction);
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>The distinct characters of the text.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The text as ids.</summary>
    public int[] Ids { get; }

    /// <summary>Number of characters.</summary>
    public int Length => Ids.Length;

    /// <summary>Characters of the training split (ids 0 .. TrainLength - 1).</summary>
    public int TrainLength { get; }

    /// <summary>Characters of the validation split (the rest).</summary>
    public int ValidationLength => Length - TrainLength;

    /// <summary>The training split.</summary>
    public ReadOnlyMemory<int> Train => Ids.AsMemory(0, TrainLength);

    /// <summary>The validation split.</summary>
    public ReadOnlyMemory<int> Validation => Ids.AsMemory(TrainLength);

    /// <summary>The corpus of <paramref name="text"/>, with a vocabulary of its own characters.</summary>
    public static TextCorpus FromText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var vocabulary = CharVocabulary.FromText(text);
        return new TextCorpus(text, vocabulary, vocabulary.Encode(text));
    }

    /// <summary>
    /// The unigram baseline: the cross-entropy (nats per character) of the validation split under the training
    /// split's character frequencies, add-one smoothed. A model that learned anything beyond frequencies beats it.
    /// </summary>
    public double UnigramValidationLoss()
    {
        var counts = new double[Vocabulary.Size];
        for (int i = 0; i < TrainLength; i++) counts[Ids[i]]++;
        double total = TrainLength + Vocabulary.Size;
        double loss = 0;
        for (int i = TrainLength; i < Length; i++) loss -= Math.Log((counts[Ids[i]] + 1) / total);
        return loss / Math.Max(1, ValidationLength);
    }

    /// <summary>The largest text file read: 256 MiB (a quarter billion characters, each held as text and as an id).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Loads a UTF-8 text file (see <see cref="ReadText"/>).</summary>
    public static TextCorpus Load(string path) => FromText(ReadText(path));

    /// <summary>
    /// Reads a UTF-8 text file (a byte-order mark is skipped). A missing file throws <see cref="FileNotFoundException"/>;
    /// an empty file, a file over <see cref="MaxFileBytes"/>, bytes that are not UTF-8 or NUL characters (a binary file) throw <see cref="InvalidDataException"/>.
    /// Every message names the file.
    /// </summary>
    public static string ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"data file '{path}' is a folder, not a text file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"data file '{path}' does not exist.", path);
        long size = Recur.IO.RegularFile.Length(path);
        if (size > MaxFileBytes)
            throw new InvalidDataException($"data file '{path}' is {size / (1 << 20):N0} MiB; at most {MaxFileBytes >> 20} MiB of text is read (cut it, or train on a part).");
        if (size == 0) throw new InvalidDataException($"data file '{path}' is empty (or not a regular file).");
        byte[] bytes = File.ReadAllBytes(path);
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (bytes.Length - start == 0) throw new InvalidDataException($"data file '{path}' is empty.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"data file '{path}' is not UTF-8 text (it looks binary).");
        }
        if (text.Contains('\0')) throw new InvalidDataException($"data file '{path}' contains NUL characters; it looks binary, not text.");
        return text;
    }
}
