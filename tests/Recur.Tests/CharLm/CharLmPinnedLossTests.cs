using Recur.Training;

namespace Recur.Tests.CharLm;

/// <summary>
/// The first losses of a fixed-seed <c>recur charlm train</c> run, pinned bit for bit (IEEE double bit patterns of
/// the logged values), so that moving the training loop into the library cannot change what charlm computes.
/// Recorded with the loop as it was in <c>src/Recur.Cli/CharLm</c> before the move.
/// </summary>
public class CharLmPinnedLossTests
{
    public static TheoryData<string, long[], long[]> Pinned => new()
    {
        {
            "lstm",
            [0x4010433140000000, 0x401040BA00000000, 0x40102CA9C0000000, 0x401009F020000000, 0x40100613E0000000, 0x400EF8F7E0000000, 0x400DFF7340000000, 0x400DA78600000000],
            [0x40102E3744444444, 0x40101EC866666666, 0x401004C511111111, 0x400FB03577777777, 0x400F0F94EEEEEEEF, 0x400E4D06AAAAAAAB, 0x400DE50977777777, 0x400DC21A88888889]
        },
        {
            "gru",
            [0x40105C8B60000000, 0x40103C6120000000, 0x40103D22E0000000, 0x400FE118A0000000, 0x400FE64400000000, 0x400E9AC340000000, 0x400DB26500000000, 0x400D7E1C00000000],
            [0x40104506AAAAAAAB, 0x40102A9CDDDDDDDE, 0x4010020EEEEEEEEF, 0x400F8C3C00000000, 0x400EE4DC88888889, 0x400E36E600000000, 0x400DDDC4AAAAAAAB, 0x400DC02B33333333]
        },
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public void FirstLossesOfAFixedSeedRunAreUnchanged(string cell, long[] trainBits, long[] valBits)
    {
        using var kit = new CharLmTestKit();
        string run = kit.Dir(cell);
        CharLmTestKit.Train(kit.Tiny(run, maxSteps: 8, evalEvery: 1, cell: cell));
        var records = MetricsLog.Read(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (double)i), records.Select(r => r["step"]));
        Assert.Equal(trainBits, records.Select(r => BitConverter.DoubleToInt64Bits(r["train_loss"])));
        Assert.Equal(valBits, records.Select(r => BitConverter.DoubleToInt64Bits(r["val_loss"])));
    }
}
