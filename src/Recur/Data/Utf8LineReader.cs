using System.Text;

namespace Recur.Data;

/// <summary>
/// Reads a UTF-8 file line by line without holding it whole. Only <c>\n</c> ends a line (a <c>\r</c> before it is
/// dropped), so U+0085, U+2028 or a lone <c>\r</c> inside a sentence stay text; a missing final newline is fine and a
/// leading byte-order mark is skipped. Lines are split on bytes (in UTF-8 the byte 0x0A is never part of another
/// character) and then decoded one at a time, so an error names the exact line: a NUL byte (a binary or UTF-16 file)
/// always, bytes that are not UTF-8 when strict (else they become U+FFFD).
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding s_strict = new(false, throwOnInvalidBytes: true);
    private static readonly UTF8Encoding s_lenient = new(false, throwOnInvalidBytes: false);

    private readonly FileStream _stream;
    private readonly string _path;
    private readonly UTF8Encoding _encoding;
    private readonly string _binaryHint;
    private byte[] _bytes = new byte[1 << 16];
    private int _start, _end, _scanned; // pending bytes are [_start, _end); [_start, _scanned) holds no '\n'
    private bool _eof;
    private char[] _chars = new char[256];
    private int _charCount;

    /// <summary>
    /// Opens <paramref name="path"/>; <paramref name="strict"/> rejects bytes that are not UTF-8;
    /// <paramref name="binaryHint"/> ends the message about a NUL byte.
    /// </summary>
    public Utf8LineReader(string path, bool strict, string binaryHint = "")
    {
        _path = path;
        _binaryHint = binaryHint;
        _encoding = strict ? s_strict : s_lenient;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    }

    /// <summary>1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current line without its line end; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Line => _chars.AsSpan(0, _charCount);

    /// <summary>True when the current line is empty or only whitespace.</summary>
    public bool IsBlank => Line.IsWhiteSpace();

    /// <summary>Moves to the next line; false at the end of the file.</summary>
    /// <exception cref="InvalidDataException">The line holds a NUL byte, or (strict) bytes that are not UTF-8.</exception>
    public bool MoveNext()
    {
        while (true)
        {
            int nl = _bytes.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int stop = _scanned + nl;
                Take(_bytes.AsSpan(_start, stop - _start));
                _start = _scanned = stop + 1;
                return true;
            }
            _scanned = _end;
            if (_eof)
            {
                if (_start == _end) return false;
                Take(_bytes.AsSpan(_start, _end - _start));
                _start = _scanned = _end;
                return true;
            }
            Fill();
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private void Fill()
    {
        if (_start > 0)
        {
            _bytes.AsSpan(_start, _end - _start).CopyTo(_bytes);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }
        if (_end == _bytes.Length) Array.Resize(ref _bytes, checked(_bytes.Length * 2));
        int read = _stream.Read(_bytes, _end, _bytes.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private void Take(ReadOnlySpan<byte> line)
    {
        LineNumber++;
        if (LineNumber == 1 && line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..];
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Contains((byte)0))
            throw DataFile.Error(_path, LineNumber, $"holds a NUL byte: this looks like a binary (or UTF-16) file, not UTF-8 text{_binaryHint}.");
        if (_chars.Length < line.Length) _chars = new char[Math.Max(line.Length, _chars.Length * 2)];
        try
        {
            _charCount = _encoding.GetChars(line, _chars);
        }
        catch (DecoderFallbackException)
        {
            throw DataFile.Error(_path, LineNumber, "is not UTF-8 text (a binary file, or another encoding such as Latin-1; convert it to UTF-8).");
        }
    }
}
