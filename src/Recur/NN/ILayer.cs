using Recur.Autograd;

namespace Recur.NN;

/// <summary>A module that maps one variable to one variable, so that it can sit in a <see cref="Sequential"/>.</summary>
public interface ILayer
{
    /// <summary>Applies the module to <paramref name="input"/>.</summary>
    Variable Forward(Variable input);
}
