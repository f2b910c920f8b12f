namespace Recur.IO;

/// <summary>What a path holds, asked before opening it: a FIFO blocks an open until a writer comes, and a device such as <c>/dev/zero</c> never ends.</summary>
public static class RegularFile
{
    /// <summary>
    /// The length of the file <paramref name="path"/> names, through symbolic links (a link's own length is that of the
    /// path it holds); 0 for a FIFO or a device, which have no length, and -1 when nothing is there.
    /// </summary>
    public static long Length(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            try
            {
                info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
            }
            catch (IOException)
            {
                return -1;
            }
        }
        return info.Exists ? info.Length : -1;
    }
}
