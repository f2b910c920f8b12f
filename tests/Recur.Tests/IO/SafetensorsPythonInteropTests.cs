using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Recur.IO;

namespace Recur.Tests.IO;

/// <summary>
/// A file written here is parsed by a small, independent Python reader that uses only <c>json</c> and
/// <c>struct</c>, and checks the reference layout rules on its own.
/// </summary>
public class SafetensorsPythonInteropTests
{
    private const string Reader = """
        import json, struct, sys

        ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
        FORMAT = {"BOOL": "?", "U8": "B", "I8": "b", "I16": "h", "U16": "H", "F16": "e", "BF16": "H",
                  "I32": "i", "U32": "I", "F32": "f", "F64": "d", "I64": "q", "U64": "Q"}

        data = open(sys.argv[1], "rb").read()
        (n,) = struct.unpack("<Q", data[:8])
        assert n % 8 == 0, "header length not a multiple of 8"
        text = data[8:8 + n].decode("utf-8")
        body = text.rstrip(" ")
        assert body.endswith("}") and json.loads(body) is not None
        header = json.loads(text)
        keys = list(header.keys())
        if "__metadata__" in header:
            assert keys[0] == "__metadata__", "metadata not first"
            keys = keys[1:]
        expected = sorted(keys, key=lambda k: (-ORDER.index(header[k]["dtype"]), k.encode("utf-8")))
        assert keys == expected, "order %r != %r" % (keys, expected)
        buffer = data[8 + n:]
        cursor = 0
        tensors = {}
        for name in keys:
            info = header[name]
            begin, end = info["data_offsets"]
            assert begin == cursor, "gap or overlap before " + name
            cursor = end
            count = 1
            for d in info["shape"]:
                count *= d
            fmt = "<%d%s" % (count, FORMAT[info["dtype"]])
            assert struct.calcsize(fmt) == end - begin, "size of " + name
            values = list(struct.unpack(fmt, buffer[begin:end]))
            if info["dtype"] == "BF16":
                values = [struct.unpack("<f", struct.pack("<I", v << 16))[0] for v in values]
            tensors[name] = {"dtype": info["dtype"], "shape": info["shape"], "values": values}
        assert cursor == len(buffer), "trailing bytes"
        print(json.dumps({"order": keys, "metadata": header.get("__metadata__", {}), "tensors": tensors}))
        """;

    [PythonFact]
    public void PythonReader_ParsesOurFile()
    {
        SafetensorsEntry[] entries =
        [
            SafetensorsEntry.Create("rnn.weight_ih_l0", new[] { 0.5f, -1.25f, 3e-3f, 1e10f, -0f, 7f }, [2, 3]),
            SafetensorsEntry.Create("f64", new[] { Math.PI, -1e-300 }, [2]),
            SafetensorsEntry.Create("half", new[] { (Half)0.5f, (Half)(-2f), (Half)65504f }, [3]),
            SafetensorsEntry.CreateBFloat16("bf", new[] { 1.5f, -3.25f }, [2, 1]),
            SafetensorsEntry.Create("target", new[] { 0L, 4L, long.MinValue }, [3]),
            SafetensorsEntry.Create("i32", new[] { -5, 5 }, [2]),
            SafetensorsEntry.Create("u8", new byte[] { 0, 255, 7 }, [3]),
            SafetensorsEntry.Create("mask", new[] { true, false }, [2]),
            SafetensorsEntry.Create("scalar", new[] { 42f }, []),
            SafetensorsEntry.Create("empty", ReadOnlySpan<float>.Empty, [0, 3]),
            SafetensorsEntry.Create("\u00e9t\u00e9", new[] { 1f }, [1]),
        ];
        var metadata = new Dictionary<string, string> { ["kind"] = "interop", ["config"] = "{\"a\": [1, 2]}\n\u00e9" };
        using var temp = new TempFolder();
        string model = temp.File("model.safetensors");
        string script = temp.File("reader.py");
        SafetensorsFile.Write(model, entries, metadata);
        File.WriteAllText(script, Reader);

        using var output = JsonDocument.Parse(RunPython(script, model));
        var root = output.RootElement;

        Assert.Equal(SafetensorsFile.Read(model).Entries.Select(e => e.Name), root.GetProperty("order").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(metadata["config"], root.GetProperty("metadata").GetProperty("config").GetString());
        var tensors = root.GetProperty("tensors");
        foreach (var entry in entries)
        {
            var parsed = tensors.GetProperty(entry.Name);
            Assert.Equal(entry.DType.ToHeaderName(), parsed.GetProperty("dtype").GetString());
            Assert.Equal(entry.Shape, parsed.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            var values = parsed.GetProperty("values").EnumerateArray().ToArray();
            if (entry.DType == SafetensorsDType.Bool)
            {
                Assert.Equal(entry.ToBooleanArray(), values.Select(v => v.GetBoolean()));
            }
            else if (entry.DType is SafetensorsDType.Int64 or SafetensorsDType.Int32 or SafetensorsDType.UInt8)
            {
                Assert.Equal(entry.ToInt64Array(), values.Select(v => v.GetInt64()));
            }
            else
            {
                Assert.Equal(entry.ToDoubleArray(), values.Select(v => double.Parse(v.GetRawText(), CultureInfo.InvariantCulture)));
            }
        }
    }

    private static string RunPython(string script, string model)
    {
        var start = new ProcessStartInfo(PythonFactAttribute.Python3Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-I");
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(model);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("python3 did not finish within 30 s");
        }

        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
