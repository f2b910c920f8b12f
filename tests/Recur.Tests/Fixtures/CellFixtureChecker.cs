// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;

namespace Recur.Tests.Fixtures;

/// <summary>
/// Kind <c>cell</c>: builds RNNCell / LSTMCell / GRUCell from the config, loads <c>param.*</c>, runs one step from
/// input and the optional h0 (and c0), compares h1 (and c1), then backpropagates
/// sum(h1 * seed.h1) [+ sum(c1 * seed.c1)] and compares every <c>grad.*</c>.
/// </summary>
internal static class CellFixtureChecker
{
    public static void Check(Fixture f)
    {
        int input = (int)f.Number("input_size", 0), hidden = (int)f.Number("hidden_size", 0);
        bool bias = f.Flag("bias", true);
        var x = new Variable(f.Tensor("input"), requiresGrad: true);
        var h0 = RecurrentFixtureSupport.OptionalLeaf(f, "h0");
        var c0 = RecurrentFixtureSupport.OptionalLeaf(f, "c0");
        RecurrentCell module;
        Variable h1;
        Variable? c1 = null;
        switch (f.Module)
        {
            case "RNNCell":
                var rnn = new RnnCell(input, hidden, bias, RecurrentFixtureChecker.Nonlinearity(f));
                module = rnn;
                RecurrentFixtureSupport.LoadParameters(f, module);
                h1 = rnn.Forward(x, h0);
                break;
            case "GRUCell":
                var gru = new GruCell(input, hidden, bias);
                module = gru;
                RecurrentFixtureSupport.LoadParameters(f, module);
                h1 = gru.Forward(x, h0);
                break;
            case "LSTMCell":
                var lstm = new LstmCell(input, hidden, bias);
                module = lstm;
                RecurrentFixtureSupport.LoadParameters(f, module);
                (h1, c1) = lstm.Forward(x, h0, c0);
                break;
            default:
                throw new InvalidOperationException($"unknown cell module '{f.Module}'");
        }

        Fixture.AssertClose("h1", f.Tensor("h1"), h1.Value, RecurrentFixtureSupport.Tolerance);
        if (f.Has("c1")) Fixture.AssertClose("c1", f.Tensor("c1"), c1!.Value, RecurrentFixtureSupport.Tolerance);
        var loss = new Variable(Recur.Tensor.Scalar(0f)); // an absent seed is a zero seed
        if (f.Has("seed.h1")) loss += RecurrentFixtureSupport.Dot(h1, f.Tensor("seed.h1"));
        if (c1 is not null && f.Has("seed.c1")) loss += RecurrentFixtureSupport.Dot(c1, f.Tensor("seed.c1"));
        loss.Backward();
        RecurrentFixtureSupport.CheckGradients(f, module, new Dictionary<string, Variable?> { ["input"] = x, ["h0"] = h0, ["c0"] = c0 });
    }
}
