// n elements per span (x, y, dy, dx share it); matrices are row-major [rows, cols], softmax and bias act along cols
namespace Recur.Kernels.Reference;

/// <summary>Scalar twins of <see cref="Pointwise"/>: one plain loop per kernel, same formulas, same order.</summary>
internal static class ReferencePointwise
{
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)Math.Tanh(x[i]);
        }
    }

    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = float.IsNaN(x[i]) ? x[i] : x[i] > 0f ? x[i] : 0f;
        }
    }

    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float g = dy[i] * y[i] * (1f - y[i]);
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float g = dy[i] * (1f - (y[i] * y[i]));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float g = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dst[i] = x[i] + y[i];
        }
    }

    public static void Subtract(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dst[i] = x[i] - y[i];
        }
    }

    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dst[i] = x[i] * y[i];
        }
    }

    public static void AddScaled(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = alpha * x[i];
        }
    }

    public static void Fill(float value, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = value;
        }
    }

    public static void AddRowVector(ReadOnlySpan<float> bias, int rows, int cols, Span<float> matrix)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                matrix[(i * cols) + j] += bias[j];
            }
        }
    }

    public static void AddSumOverRows(ReadOnlySpan<float> x, int rows, int cols, Span<float> dst)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                dst[j] += x[(i * cols) + j];
            }
        }
    }

    public static double Sum(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v;
        }

        return sum;
    }

    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return sum;
    }

    public static float Max(ReadOnlySpan<float> x)
    {
        float max = x[0];
        foreach (float v in x)
        {
            if (float.IsNaN(v))
            {
                return v;
            }

            max = v > max || (v == 0f && max == 0f && !float.IsNegative(v)) ? v : max;
        }

        return max;
    }

    public static void Softmax(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        for (int i = 0; i < rows && cols > 0; i++)
        {
            ReadOnlySpan<float> xi = x.Slice(i * cols, cols);
            Span<float> yi = y.Slice(i * cols, cols);
            float max = Max(xi);
            float sum = 0f;
            for (int j = 0; j < cols; j++)
            {
                yi[j] = MathF.Exp(xi[j] - max);
                sum += yi[j];
            }

            for (int j = 0; j < cols; j++)
            {
                yi[j] /= sum;
            }
        }
    }

    public static void LogSoftmax(ReadOnlySpan<float> x, int rows, int cols, Span<float> y)
    {
        for (int i = 0; i < rows && cols > 0; i++)
        {
            ReadOnlySpan<float> xi = x.Slice(i * cols, cols);
            Span<float> yi = y.Slice(i * cols, cols);
            float max = Max(xi);
            float sum = 0f;
            for (int j = 0; j < cols; j++)
            {
                sum += MathF.Exp(xi[j] - max);
            }

            float logSum = MathF.Log(sum);
            for (int j = 0; j < cols; j++)
            {
                yi[j] = xi[j] - max - logSum;
            }
        }
    }

    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        for (int i = 0; i < rows; i++)
        {
            float dot = 0f;
            for (int j = 0; j < cols; j++)
            {
                dot += dy[(i * cols) + j] * y[(i * cols) + j];
            }

            for (int j = 0; j < cols; j++)
            {
                dx[(i * cols) + j] = y[(i * cols) + j] * (dy[(i * cols) + j] - dot);
            }
        }
    }

    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, int rows, int cols, Span<float> dx)
    {
        for (int i = 0; i < rows; i++)
        {
            float sum = 0f;
            for (int j = 0; j < cols; j++)
            {
                sum += dy[(i * cols) + j];
            }

            for (int j = 0; j < cols; j++)
            {
                dx[(i * cols) + j] = dy[(i * cols) + j] - (MathF.Exp(y[(i * cols) + j]) * sum);
            }
        }
    }
}
