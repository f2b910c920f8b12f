namespace Recur.Data;

/// <summary>
/// Reads a sequence-classification file (sentences with their sentiment, series with their class) in one of the
/// <see cref="ClassificationFormat"/>s, detecting the format when asked. Files are UTF-8 (a byte-order mark is
/// skipped); only <c>\n</c> or <c>\r\n</c> end a line, so U+0085 or U+2028 inside a sentence is text; blank lines are
/// skipped; a missing final newline is fine. Files over 1 GiB are refused before reading. Bad input throws an
/// <see cref="InvalidDataException"/> whose one-line message names the file, the line and the problem.
/// </summary>
public static class ClassificationReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The path is a folder; the file is empty, too large, not UTF-8 text, of an undetectable format, or malformed.
    /// </exception>
    public static ClassificationData Read(string path, ClassificationReadOptions? options = null)
    {
        options ??= new ClassificationReadOptions();
        DataFile.Check(path, DataFile.MaxBytes);
        var format = options.Format;
        string? reason = null;
        if (format == ClassificationFormat.Auto) (format, reason) = Detect(path);
        if (format != ClassificationFormat.Csv && (options.TextColumn is not null || options.LabelColumn is not null))
            throw new ArgumentException($"{path}: text and label columns apply to CSV files only, and this one is read as {format.Name()}{(reason is null ? "" : $" ({reason})")}.", nameof(options));
        List<ClassificationExample> examples;
        string? header = null;
        LabelSet? classes = null;
        switch (format)
        {
            case ClassificationFormat.LabelTabText or ClassificationFormat.LabelSpaceText or ClassificationFormat.TextTabLabel:
                (examples, header) = TextLineFormat.Read(path, format);
                break;
            case ClassificationFormat.Csv:
                (examples, header) = CsvFormat.Read(path, options.TextColumn, options.LabelColumn);
                break;
            case ClassificationFormat.Ucr:
                examples = UcrFormat.Read(path);
                break;
            case ClassificationFormat.Ts:
                (examples, classes) = TsFormat.Read(path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), $"Unknown format {(int)format}.");
        }
        return new ClassificationData(path, format, examples, classes, reason, header);
    }

    /// <summary>
    /// The format of <paramref name="path"/>, judged from its extension and its first 1,000 non-blank lines, with a
    /// one-line reason: a <c>.ts</c> extension or <c>@</c> header lines: ts; a <c>.csv</c> extension: csv (ucr when
    /// every line is numbers); every line numbers: ucr; lines with tabs: label-tab-text when their first fields form a
    /// small label set without spaces, text-tab-label when their last fields do (a first line that does not fit is a
    /// header); no tabs: label-text when the first words form a small label set. A small label set has at most one
    /// distinct label per 5 lines, between 2 and 100.
    /// </summary>
    /// <exception cref="InvalidDataException">No format fits; the message lists the format names.</exception>
    public static FormatDetection Detect(string path) => FormatDetector.Detect(path);
}
