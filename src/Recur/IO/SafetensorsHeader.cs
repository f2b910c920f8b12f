namespace Recur.IO;

/// <summary>What a safetensors file's header says, read without its data: each tensor's shape, the metadata, the total element count.</summary>
/// <param name="Shapes">Tensor name to shape.</param>
/// <param name="Metadata">The <c>__metadata__</c> strings.</param>
/// <param name="TotalElements">The elements of all tensors together.</param>
public sealed record SafetensorsHeader(IReadOnlyDictionary<string, int[]> Shapes, IReadOnlyDictionary<string, string> Metadata, long TotalElements);
