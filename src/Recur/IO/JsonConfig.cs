using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Recur.IO;

/// <summary>
/// Configuration records as JSON (snake_case keys, indented, unknown keys skipped so later versions can add some): the
/// one way the models' and tasks' configurations are written and read back, with one error message for bad ones.
/// </summary>
public static class JsonConfig
{
    /// <summary>The serializer settings.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary><paramref name="config"/> as a JSON object.</summary>
    public static JsonObject ToJson<T>(T config) => (JsonObject)JsonSerializer.SerializeToNode(config, Options)!;

    /// <summary>
    /// Reads a <typeparamref name="T"/> from <paramref name="json"/> and checks it with <paramref name="validate"/>
    /// (which throws <see cref="ArgumentException"/> or <see cref="InvalidDataException"/> for values out of range).
    /// </summary>
    /// <exception cref="InvalidDataException">Missing, malformed, or out of range; the message starts with <paramref name="what"/>.</exception>
    public static T Read<T>(JsonNode? json, string what, Action<T> validate) where T : class
    {
        ArgumentNullException.ThrowIfNull(validate);
        try
        {
            var c = json?.Deserialize<T>(Options) ?? throw new InvalidDataException($"{what} is missing.");
            validate(c);
            return c;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{what} is not valid: {ex.Message}", ex);
        }
    }
}
