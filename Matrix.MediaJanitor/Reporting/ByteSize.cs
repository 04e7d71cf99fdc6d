using System.Globalization;

namespace Matrix.MediaJanitor.Reporting;

/// <summary>Human-readable sizes and rates for progress lines.</summary>
public static class ByteSize
{
    public static string Format(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {units[unit]}");
    }
}
