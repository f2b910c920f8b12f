namespace Recur.Tests.Fixtures;

/// <summary>The checker of each fixture kind; kinds without one are skipped by <see cref="FixtureTests"/>.</summary>
public static class FixtureCheckers
{
    private static readonly Dictionary<string, Action<Fixture>> s_checkers = new(StringComparer.Ordinal)
    {
        ["loss"] = LossFixtureTests.Check,
        ["optimizer"] = OptimizerFixtureTests.Check,
        ["recurrent"] = RecurrentFixtureChecker.Check,
        ["cell"] = CellFixtureChecker.Check,
        ["attention"] = AttentionFixtureChecker.Check,
        ["seq2seq"] = Seq2SeqFixtureChecker.Check,
    };

    public static Action<Fixture>? For(string kind) => s_checkers.GetValueOrDefault(kind);
}
