using System.Text;

namespace Recur.Cli.Demo;

/// <summary>A text file as character ids, with a character vocabulary and a 90% / 10% train / validation split.</summary>
public sealed class CharCorpus
{
    private CharCorpus(string text, char[] vocabulary, int[] ids, int context)
    {
        Text = text;
        Vocabulary = vocabulary;
        Ids = ids;
        Context = context;
        TrainEnd = (int)(ids.Length * 0.9);
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>Distinct characters, sorted by code point; a character's id is its index here.</summary>
    public char[] Vocabulary { get; }

    /// <summary>The text as ids.</summary>
    public int[] Ids { get; }

    /// <summary>Characters of context per prediction.</summary>
    public int Context { get; }

    /// <summary>Number of characters.</summary>
    public int Length => Ids.Length;

    /// <summary>First index of the validation split.</summary>
    public int TrainEnd { get; }

    /// <summary>Reads a UTF-8 text file; rejects missing, empty, binary or too-short files with a one-line error.</summary>
    public static CharCorpus Load(string path, int context)
    {
        if (!File.Exists(path)) throw new UserErrorException($"data file '{path}' does not exist.");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new UserErrorException($"data file '{path}' is empty.");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new UserErrorException($"data file '{path}' is not UTF-8 text (it looks binary).");
        }
        if (text.Contains('\0')) throw new UserErrorException($"data file '{path}' contains NUL bytes; it looks binary, not text.");
        int minimum = 10 * (context + 1);
        if (text.Length < minimum)
            throw new UserErrorException($"data file '{path}' has {text.Length} characters; at least {minimum} are needed for a context of {context} and a validation split.");
        var vocabulary = text.Distinct().Order().ToArray();
        var index = new Dictionary<char, int>();
        for (int i = 0; i < vocabulary.Length; i++) index[vocabulary[i]] = i;
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = index[text[i]];
        return new CharCorpus(text, vocabulary, ids, context);
    }

    /// <summary>Cross-entropy of the validation split under the training split's character frequencies (add-one smoothed).</summary>
    public double UnigramValidationLoss()
    {
        var counts = new double[Vocabulary.Length];
        for (int i = 0; i < TrainEnd; i++) counts[Ids[i]]++;
        double total = TrainEnd + Vocabulary.Length;
        double loss = 0;
        for (int i = TrainEnd; i < Length; i++) loss -= Math.Log((counts[Ids[i]] + 1) / total);
        return loss / (Length - TrainEnd);
    }
}
