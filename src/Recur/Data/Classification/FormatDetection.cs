namespace Recur.Data;

/// <summary>The format <see cref="ClassificationReader.Detect"/> chose, and one line saying why.</summary>
/// <param name="Format">The format.</param>
/// <param name="Reason">Why, for people: "label&lt;TAB&gt;text: every line starts with a label and a tab (2 labels: 0, 1)".</param>
public sealed record FormatDetection(ClassificationFormat Format, string Reason);
