// B batch, T time, I input, H hidden, P projection, G gates (LSTM 4H i,f,g,o; GRU 3H r,z,n), L layers, D directions
using Recur.Autograd;
using Recur.NN;
using static Recur.Tests.Recurrent.RecurrentTestKit;

namespace Recur.Tests.Recurrent;

/// <summary>Bad input throws ArgumentException naming the expected and the actual values.</summary>
public class RecurrentArgumentTests
{
    private static void Throws(Action act, params string[] fragments)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(act);
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
    }

    [Fact]
    public void WrongInputRankOrFeatureSize()
    {
        var lstm = Make("lstm", 3, 4, layers: 2, bidirectional: true);
        Throws(() => lstm.Forward(new Tensor(5)), "rank 3 [T, B, I]", "rank 1", "[5]");
        Throws(() => lstm.Forward(new Tensor(2, 2, 2, 3)), "rank 4", "[2, 2, 2, 3]");
        Throws(() => lstm.Forward(new Tensor(5, 2, 4)), "3 input features", "got 4", "[5, 2, 4]");
        Throws(() => lstm.Forward(new Tensor(0, 2, 3)), "at least 1 time step", "got 0");
        Throws(() => Make("gru", 3, 4, batchFirst: true).Forward(new Tensor(2, 5, 2)), "[B, T, I]", "got 2");
    }

    [Fact]
    public void BadLengths()
    {
        var gru = Make("gru", 3, 4);
        var x = new Tensor(5, 2, 3);
        Throws(() => gru.Forward(x, lengths: [5]), "1 entries", "B = 2");
        Throws(() => gru.Forward(x, lengths: [5, 0]), "lengths[1] = 0", "[1, T = 5]");
        Throws(() => gru.Forward(x, lengths: [6, 2]), "lengths[0] = 6", "[1, T = 5]");
        Throws(() => gru.Forward(x, lengths: [-1, 2]), "lengths[0] = -1");
    }

    [Fact]
    public void StatesOfTheWrongShape()
    {
        var lstm = Make("lstm", 3, 4, layers: 2, bidirectional: true, proj: 2);
        var x = new Tensor(5, 3, 3);
        Throws(() => lstm.Forward(x, new Tensor(4, 3, 4)), "h0", "[4, 3, 2]", "got [4, 3, 4]");
        Throws(() => lstm.Forward(x, null, new Tensor(2, 3, 4)), "c0", "[4, 3, 4]", "got [2, 3, 4]");
        Throws(() => lstm.Forward(new Tensor(5, 3), new Tensor(4, 3, 2)), "h0", "[4, 2]", "got [4, 3, 2]");
        Throws(() => Make("gru", 3, 4).Forward(x, null, new Tensor(1, 3, 4)), "no cell state", "[1, 3, 4]");
    }

    [Fact]
    public void CellsCheckTheirInputs()
    {
        var cell = new LstmCell(3, 4);
        Throws(() => cell.Forward(new Tensor(2, 5)), "3 input features", "got 5");
        Throws(() => cell.Forward(new Tensor(2, 2, 3)), "rank 2 [B, I]", "rank 3");
        Throws(() => cell.Forward(new Tensor(2, 3), new Tensor(3, 4)), "h", "[2, 4]", "got [3, 4]");
        Throws(() => cell.Forward(new Tensor(2, 3), null, new Tensor(2, 5)), "c", "[2, 4]", "got [2, 5]");
        Throws(() => new GruCell(3, 4).Forward(new Tensor(3), new Tensor(1, 4)), "[4]", "got [1, 4]");
    }

    [Fact]
    public void BadConstructorOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(3, 4, projSize: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(3, 4, projSize: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(3, 4, numLayers: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(3, 4, dropout: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RnnCell(3, 0));
        Assert.Throws<ArgumentNullException>(() => new Gru(3, 4).Forward((Variable)null!));
    }
}
