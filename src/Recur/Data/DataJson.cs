using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recur.Data;

/// <summary>Parses the JSON files saved with a model (vocabularies, label sets, merges) with one kind of error.</summary>
internal static class DataJson
{
    /// <summary>The parsed <paramref name="json"/>; <paramref name="what"/> names it in the error ("the label set").</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON.</exception>
    public static JsonNode? Parse(string json, string what)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{what} is not valid JSON: {ex.Message}", ex);
        }
    }
}
