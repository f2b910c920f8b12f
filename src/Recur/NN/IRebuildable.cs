using System.Text.Json.Nodes;

namespace Recur.NN;

/// <summary>
/// A module that can say how to build it again: a type name and its constructor arguments as JSON. For modules with
/// a PyTorch twin these are PyTorch's (<c>LSTM</c>, <c>{"input_size": 8, "hidden_size": 16, ...}</c>), so that
/// <c>torch.nn.LSTM(**config)</c> builds it. <see cref="StateDictFile.Save"/> writes both into the file's metadata.
/// </summary>
public interface IRebuildable
{
    /// <summary>The type name under which the module is rebuilt (<c>LSTM</c>, <c>Linear</c>, <c>CharLm</c>).</summary>
    string TypeName { get; }

    /// <summary>The constructor arguments.</summary>
    JsonObject GetConfig();
}
