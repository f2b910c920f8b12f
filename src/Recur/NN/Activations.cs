using Recur.Autograd;

namespace Recur.NN;

/// <summary>tanh(x) as a module, for <see cref="Sequential"/> (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module, ILayer
{
    /// <inheritdoc/>
    public Variable Forward(Variable input) => Ops.Tanh(input);
}

/// <summary>max(x, 0) as a module (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class Relu : Module, ILayer
{
    /// <inheritdoc/>
    public override string TypeName => "ReLU";

    /// <inheritdoc/>
    public Variable Forward(Variable input) => Ops.Relu(input);
}

/// <summary>1 / (1 + exp(-x)) as a module (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module, ILayer
{
    /// <inheritdoc/>
    public Variable Forward(Variable input) => Ops.Sigmoid(input);
}
