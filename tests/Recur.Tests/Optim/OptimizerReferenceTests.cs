using System.Globalization;
using Recur.Autograd;

namespace Recur.Tests.Optim;

/// <summary>Each optimizer and option combination against the double-precision <see cref="ReferenceOptimizer"/>.</summary>
public class OptimizerReferenceTests
{
    private const int Steps = 8;

    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        bool[] flags = [false, true];
        foreach (double momentum in new[] { 0, 0.9 })
            foreach (double dampening in new[] { 0, 0.3 })
                foreach (bool nesterov in flags)
                    foreach (double wd in new[] { 0, 0.05 })
                        foreach (bool maximize in flags)
                            if (!nesterov || (momentum > 0 && dampening == 0))
                                data.Add(Json($"\"optimizer\": \"SGD\", \"lr\": 0.1, \"momentum\": {F(momentum)}, \"dampening\": {F(dampening)}, \"nesterov\": {B(nesterov)}, \"weight_decay\": {F(wd)}, \"maximize\": {B(maximize)}"));
        foreach (string name in new[] { "Adam", "AdamW" })
            foreach (string betas in new[] { "[0.9, 0.999]", "[0.5, 0.8]" })
                foreach (double wd in new[] { 0, 0.1 })
                    foreach (bool amsgrad in flags)
                        foreach (bool maximize in flags)
                            data.Add(Json($"\"optimizer\": \"{name}\", \"lr\": 0.01, \"betas\": {betas}, \"eps\": 1e-08, \"weight_decay\": {F(wd)}, \"amsgrad\": {B(amsgrad)}, \"maximize\": {B(maximize)}"));
        foreach (double alpha in new[] { 0.99, 0.5 })
            foreach (double wd in new[] { 0, 0.1 })
                foreach (double momentum in new[] { 0, 0.7 })
                    foreach (bool centered in flags)
                        foreach (bool maximize in flags)
                            data.Add(Json($"\"optimizer\": \"RMSprop\", \"lr\": 0.01, \"alpha\": {F(alpha)}, \"weight_decay\": {F(wd)}, \"momentum\": {F(momentum)}, \"centered\": {B(centered)}, \"maximize\": {B(maximize)}"));
        foreach (double lrDecay in new[] { 0, 0.2 })
            foreach (double wd in new[] { 0, 0.1 })
                foreach (double initial in new[] { 0, 0.3 })
                    foreach (bool maximize in flags)
                        data.Add(Json($"\"optimizer\": \"Adagrad\", \"lr\": 0.05, \"lr_decay\": {F(lrDecay)}, \"weight_decay\": {F(wd)}, \"initial_accumulator_value\": {F(initial)}, \"maximize\": {B(maximize)}"));
        data.Add(Json("\"optimizer\": \"AdamW\", \"lr\": 0.01, \"clip_grad_norm\": 1.0"));
        data.Add(Json("\"optimizer\": \"SGD\", \"lr\": 0.1, \"momentum\": 0.9, \"clip_grad_norm\": 0.5, \"norm_type\": Infinity"));
        data.Add(Json("\"optimizer\": \"Adam\", \"clip_grad_norm\": 2.0, \"norm_type\": 1.0"));
        data.Add(Json("\"optimizer\": \"RMSprop\", \"clip_grad_norm\": 1.5, \"norm_type\": 3.0"));
        data.Add(Json("\"optimizer\": \"Adagrad\", \"clip_grad_norm\": 100.0"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void MatchesDoublePrecisionPyTorchLoop(string json)
    {
        var config = TorchOptimizerConfig.Parse(json);
        var rng = new RandomGenerator(7);
        Parameter[] ours = [new(rng.Normal(0, 1, 3, 4)), new(rng.Normal(0, 1, 5))];
        var optimizer = config.Create(ours);
        var reference = new ReferenceOptimizer(config);
        var expected = ours.Select(p => Numerics.Widen(p.Value.Span)).ToArray();

        for (int step = 0; step < Steps; step++)
        {
            // The second parameter has no gradient at step 2: skipped, and its step count does not advance.
            Tensor?[] grads = [rng.Normal(0, 1, 3, 4), step == 2 ? null : rng.Normal(0, 1, 5)];
            for (int i = 0; i < ours.Length; i++) ours[i].Grad = grads[i]?.Clone();
            var referenceGrads = grads.Select(g => g is null ? null : Numerics.Widen(g.Span)).ToArray();
            if (step == 5) reference.Lr = optimizer.LearningRate *= 0.5;  // a schedule changing the rate mid-run

            float? norm = config.Clip(ours);
            if (config.ClipGradNorm is double maxNorm)
            {
                double expectedNorm = ReferenceOptimizer.ClipGradNorm(referenceGrads, maxNorm, config.NormType);
                Numerics.AssertClose([expectedNorm], [norm!.Value], 1e-6, $"total norm at step {step}");
            }
            optimizer.Step();
            reference.Step(expected, referenceGrads);
            for (int i = 0; i < ours.Length; i++)
                Numerics.AssertClose(expected[i], ours[i].Value.Span, 5e-7, $"parameter {i} after step {step}");
        }
    }

    private static string Json(string body) => "{" + body + "}";

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string B(bool v) => v ? "true" : "false";
}
