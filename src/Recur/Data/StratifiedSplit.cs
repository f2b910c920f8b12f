namespace Recur.Data;

/// <summary>
/// A train / dev split that keeps each class's share: for every class c with n_c examples, a seeded shuffle of its
/// examples, then the first round(n_c * devFraction) of them (half away from zero) go to dev. A class of at least two
/// examples puts at least one in dev and keeps at least one for training (when the fraction is above 0); a class of
/// one example stays in training.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Splits the examples whose class ids are <paramref name="labelIds"/>; returns the example indices of each part,
    /// ascending. The same ids, fraction and seed always give the same split; each class's shuffle depends only on the
    /// seed and its class id.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1) or a class id is negative.</exception>
    public static (int[] Train, int[] Dev) Split(IReadOnlyList<int> labelIds, double devFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(labelIds);
        if (!(devFraction >= 0 && devFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(devFraction), $"Expected a dev fraction in [0, 1) but got {devFraction}.");
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labelIds.Count; i++)
        {
            int c = labelIds[i];
            if (c < 0) throw new ArgumentOutOfRangeException(nameof(labelIds), $"Example {i} has a negative class id {c}.");
            if (!byClass.TryGetValue(c, out var list)) byClass[c] = list = [];
            list.Add(i);
        }
        var train = new List<int>(labelIds.Count);
        var dev = new List<int>();
        foreach (var (c, members) in byClass)
        {
            int[] shuffled = members.ToArray();
            new RandomGenerator(ClassSeed(seed, c)).Shuffle<int>(shuffled);
            int n = shuffled.Length;
            int take = (int)Math.Round(n * devFraction, MidpointRounding.AwayFromZero);
            if (devFraction > 0 && n >= 2) take = Math.Clamp(take, 1, n - 1);
            else if (n < 2) take = 0;
            dev.AddRange(shuffled.AsSpan(0, take));
            train.AddRange(shuffled.AsSpan(take));
        }
        int[] t = train.ToArray(), d = dev.ToArray();
        Array.Sort(t);
        Array.Sort(d);
        return (t, d);
    }

    // A seed per class, so that one class's shuffle does not depend on how many examples other classes have.
    private static ulong ClassSeed(ulong seed, int classId) => seed ^ (0x9E3779B97F4A7C15UL * ((ulong)classId + 1));
}
