using System.Reflection;
using System.Reflection.Emit;

namespace Recur.Tests;

/// <summary>
/// Keeps the layers of DESIGN.md honest: Kernels &lt;- Tensors &lt;- Autograd &lt;- NN &lt;- Optim &lt;- Training, with Data
/// beside the middle and Models over NN and Data.
/// Reads the field, signature and IL references of every type of a layer and fails when one points up the stack.
/// </summary>
public class LayeringTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    // For each layer (namespace prefix), the parts of Recur it must not use.
    public static TheoryData<string, string[]> Rules => new()
    {
        { "Recur.Kernels", ["Recur.Autograd", "Recur.NN", "Recur.Optim", "Recur.Training", "Recur.IO", "Recur.Data", "Recur.Tensor", "Recur.RandomGenerator"] },
        { "Recur.Autograd", ["Recur.NN", "Recur.Optim", "Recur.Training", "Recur.Data", "Recur.Models"] },
        { "Recur.NN", ["Recur.Optim", "Recur.Training", "Recur.Data", "Recur.Models"] },
        { "Recur.Optim", ["Recur.Training", "Recur.Data", "Recur.Models"] },
        { "Recur.IO", ["Recur.Autograd", "Recur.NN", "Recur.Optim", "Recur.Training", "Recur.Models"] },
        { "Recur.Data", ["Recur.Autograd", "Recur.NN", "Recur.Optim", "Recur.Training", "Recur.Models"] },
        // Models (CharLm, SequenceClassifier) are built from NN and Data; the trainer runs any model and knows none.
        { "Recur.Models", ["Recur.Training", "Recur.Optim"] },
        { "Recur.Training", ["Recur.Models"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void LayerDoesNotReferenceHigherLayers(string layer, string[] forbidden)
    {
        var violations = new List<string>();
        foreach (var type in typeof(Tensor).Assembly.GetTypes())
        {
            string ns = type.Namespace ?? "";
            if (ns != layer && !ns.StartsWith(layer + ".", StringComparison.Ordinal)) continue;
            foreach (var used in ReferencedTypes(type))
            {
                string name = used.FullName ?? used.Name;
                if (forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal) || name.StartsWith(f + "+", StringComparison.Ordinal)))
                    violations.Add($"{type.FullName} uses {name}");
            }
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void TheScanSeesRealReferences()
    {
        // A positive control: NN does use Autograd, so a rule forbidding it must report it.
        var ex = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => LayerDoesNotReferenceHigherLayers("Recur.NN", ["Recur.Autograd"]));
        Assert.Contains("Recur.NN.Linear uses Recur.Autograd", ex.Message);
    }

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        if (type.BaseType is not null) yield return type.BaseType;
        foreach (var f in type.GetFields(All)) yield return f.FieldType;
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var t in IlReferences(m)) yield return t;
        }
    }

    private static IEnumerable<Type> IlReferences(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } dt ? dt.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int pos = 0;
        while (pos < il.Length)
        {
            short code = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
            pos += il[pos] == 0xFE ? 2 : 1;
            var op = s_opCodes[code];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    int token = BitConverter.ToInt32(il, pos);
                    Type? t = null;
                    try
                    {
                        var member = method.Module.ResolveMember(token, typeArgs, methodArgs);
                        t = member as Type ?? member?.DeclaringType;
                    }
                    catch (ArgumentException) { }
                    if (t is not null) yield return t;
                    pos += 4;
                    break;
                case OperandType.InlineSwitch:
                    pos += 4 + 4 * BitConverter.ToInt32(il, pos);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: pos += 1; break;
                case OperandType.InlineVar: pos += 2; break;
                case OperandType.InlineI8:
                case OperandType.InlineR: pos += 8; break;
                default: pos += 4; break;
            }
        }
    }
}
