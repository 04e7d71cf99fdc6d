using System.Globalization;

namespace Matrix.Router.Configuration;

/// <summary>Parses setting values the way docs/router.md describes them, reporting the setting by name when one is wrong.</summary>
internal sealed class SettingParser(List<string> problems)
{
    /// <summary>Seconds (<c>5</c>, <c>0.5</c>) or a .NET time span (<c>00:00:05</c>).</summary>
    public TimeSpan Duration(string setting, string? value, TimeSpan defaultValue, TimeSpan minimum)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        TimeSpan result;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            result = TimeSpan.FromSeconds(seconds);
        }
        else if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out result))
        {
            problems.Add($"{setting}: '{value}' is not a duration (seconds such as 5, or hh:mm:ss such as 00:00:05)");
            return defaultValue;
        }
        if (result < minimum)
        {
            problems.Add($"{setting}: {value} is below the minimum of {minimum.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            return defaultValue;
        }
        return result;
    }

    /// <summary>Bytes, optionally with a binary suffix: <c>104857600</c>, <c>100M</c>, <c>1G</c>, <c>512K</c>.</summary>
    public long Size(string setting, string? value, long defaultValue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        var text = value.Trim();
        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        if (multiplier != 1)
        {
            text = text[..^1];
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > long.MaxValue / multiplier)
        {
            problems.Add($"{setting}: '{value}' is not a positive size in bytes (such as 104857600 or 100M)");
            return defaultValue;
        }
        return number * multiplier;
    }

    /// <summary>A fraction above 0 and at most 1 (<c>0.3</c>).</summary>
    public double Fraction(string setting, string? value, double defaultValue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !(number > 0 && number <= 1))
        {
            problems.Add($"{setting}: '{value}' must be a fraction above 0 and at most 1 (such as 0.3)");
            return defaultValue;
        }
        return number;
    }

    public int Integer(string setting, string? value, int defaultValue, int minimum, int maximum)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < minimum || number > maximum)
        {
            problems.Add($"{setting}: '{value}' must be a whole number from {minimum} to {maximum}");
            return defaultValue;
        }
        return number;
    }
}
