namespace Recur.Data;

/// <summary>How <see cref="ClassificationReader.Read"/> reads a file.</summary>
public sealed record ClassificationReadOptions
{
    /// <summary>The format; <see cref="ClassificationFormat.Auto"/> (the default) detects it.</summary>
    public ClassificationFormat Format { get; init; } = ClassificationFormat.Auto;

    /// <summary>CSV only, and required there: the text column, as a header name or a 0-based index.</summary>
    public string? TextColumn { get; init; }

    /// <summary>CSV only, and required there: the label column, as a header name or a 0-based index.</summary>
    public string? LabelColumn { get; init; }
}
