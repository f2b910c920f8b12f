namespace Recur.IO;

/// <summary>
/// Thrown when bytes are not a valid safetensors file. The message names the problem and, where one is
/// involved, the tensor (also in <see cref="TensorName"/>).
/// </summary>
public sealed class SafetensorsFormatException : FormatException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the file.</param>
    public SafetensorsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that revealed the problem.</summary>
    /// <param name="message">What is wrong with the file.</param>
    /// <param name="innerException">The underlying error, such as a JSON parse error.</param>
    public SafetensorsFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    private SafetensorsFormatException(string tensorName, string message)
        : base($"Tensor '{Clip(tensorName)}': {message}")
    {
        TensorName = tensorName;
    }

    /// <summary>The tensor the problem concerns, or <see langword="null"/> when it concerns the whole file.</summary>
    public string? TensorName { get; }

    /// <summary>A problem with one tensor; the message starts with <c>Tensor 'name':</c>.</summary>
    internal static SafetensorsFormatException ForTensor(string tensorName, string message) => new(tensorName, message);

    /// <summary>Shortens a hostile, very long name for the message; <see cref="TensorName"/> keeps it whole.</summary>
    private static string Clip(string name) => name.Length <= 200 ? name : name[..200] + "...";
}
